//! 交付内容端到端：用仓库自带的 2023 年通知、content/units.toml 和 content/submissions/ 构建一次
//! （`duban build --today 2023-02-08`），逐个单位核对生成的材料。
//!
//! 期望值不取自 src/duties.rs：测试自己解析 `duban catalogue --format json` 和 units.toml，
//! 按 README“分工规则”一节用最直白的代码算出每个单位的角色、牵头任务、总牵头任务和季报任务。

mod contacts;
mod index;
mod master;
mod plans;
mod quarterly;
mod table;
mod tasklist;

use crate::support::{halfwidth, pdftotext, squash};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use table::{custom_props, prop, read_table};

#[derive(Debug, Deserialize)]
struct Cat {
    tasks: Vec<CTask>,
}

#[derive(Debug, Deserialize)]
struct CTask {
    id: String,
    overall_leads: Vec<String>,
    leads: Vec<String>,
    responsible: Vec<String>,
    text: String,
}

/// 按 README 规则算出的一个单位的期望（任务下标，目录顺序）。
#[derive(Debug, Default)]
struct Expect {
    overall: BTreeSet<usize>,
    lead: BTreeSet<usize>,
    /// 只记不牵头的任务（“既牵头又责任只记牵头”）。
    resp: BTreeSet<usize>,
    quarterly: BTreeSet<usize>,
}

impl Expect {
    fn any(&self) -> bool {
        !(self.overall.is_empty() && self.lead.is_empty() && self.resp.is_empty())
    }
    fn all_tasks(&self) -> BTreeSet<usize> {
        let mut s = self.overall.clone();
        s.extend(&self.lead);
        s.extend(&self.resp);
        s
    }
}

pub(crate) struct Shipped {
    /// 随附项目构建的输出目录（打印合订本、Word 副本的测试也用它，免得再构建一次）。
    pub(crate) out: PathBuf,
    cat: Cat,
    /// 登记册中的全部单位（规范名，68 个）。
    units: Vec<String>,
    expect: BTreeMap<String, Expect>,
}

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

use crate::support::duban;

/// 登记册：单位规范名与别名、群体短语的成员（members ∪ member_kind 类的全部单位）。
struct Reg {
    units: Vec<String>,
    canon: BTreeMap<String, String>,
    groups: BTreeMap<String, Vec<String>>,
}

fn norm(s: &str) -> String {
    s.replace('（', "(").replace('）', ")")
}

fn load_registry() -> Reg {
    let text = std::fs::read_to_string(root().join("content/units.toml")).unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    let strs = |x: Option<&toml::Value>| -> Vec<String> {
        x.and_then(|a| a.as_array())
            .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let mut units = Vec::new();
    let mut canon = BTreeMap::new();
    let mut kinds: Vec<(String, String)> = Vec::new();
    for u in v["unit"].as_array().unwrap() {
        let name = u["name"].as_str().unwrap().to_string();
        let kind = u["kind"].as_str().unwrap().to_string();
        canon.insert(norm(&name), name.clone());
        for a in strs(u.get("aliases")) {
            canon.insert(norm(&a), name.clone());
        }
        kinds.push((name.clone(), kind));
        units.push(name);
    }
    let mut groups = BTreeMap::new();
    for g in v["group"].as_array().unwrap() {
        let mut members: Vec<String> = strs(g.get("members"))
            .iter()
            .map(|m| canon.get(&norm(m)).cloned().unwrap_or(m.clone()))
            .collect();
        if let Some(k) = g.get("member_kind").and_then(|k| k.as_str()) {
            for (n, kind) in &kinds {
                if kind == k && !members.contains(n) {
                    members.push(n.clone());
                }
            }
        }
        let mut names = strs(g.get("aliases"));
        names.push(g["name"].as_str().unwrap().to_string());
        for n in names {
            groups.insert(norm(&n), members.clone());
        }
    }
    Reg {
        units,
        canon,
        groups,
    }
}

impl Reg {
    /// 目录中的一个名称 → 具体单位（群体短语展开为成员；没列成员的短语展开为空）。
    fn expand(&self, name: &str) -> Vec<String> {
        let n = norm(name);
        if let Some(m) = self.groups.get(&n) {
            return m.clone();
        }
        vec![self.canon.get(&n).cloned().unwrap_or(name.to_string())]
    }
    fn expand_all(&self, names: &[String]) -> BTreeSet<String> {
        names.iter().flat_map(|n| self.expand(n)).collect()
    }
}

fn expectations(cat: &Cat, reg: &Reg) -> BTreeMap<String, Expect> {
    let mut e: BTreeMap<String, Expect> = BTreeMap::new();
    for (i, t) in cat.tasks.iter().enumerate() {
        let overall = reg.expand_all(&t.overall_leads);
        let leads = reg.expand_all(&t.leads);
        let resp = reg.expand_all(&t.responsible);
        for u in &overall {
            e.entry(u.clone()).or_default().overall.insert(i);
        }
        for u in &leads {
            e.entry(u.clone()).or_default().lead.insert(i);
        }
        for u in resp.difference(&leads) {
            e.entry(u.clone()).or_default().resp.insert(i);
        }
        // README 附表3 规则表。
        let reporters = if t.id.starts_with("三.") {
            if t.leads.is_empty() {
                resp
            } else {
                leads
            }
        } else if !t.overall_leads.is_empty() {
            overall
        } else {
            leads
        };
        for u in reporters {
            e.entry(u).or_default().quarterly.insert(i);
        }
    }
    e
}

pub(crate) fn shipped() -> &'static Shipped {
    static S: OnceLock<Shipped> = OnceLock::new();
    S.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("duban-it-{}-shipped", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("out");
        let o = duban(&[
            "build",
            "--out",
            out.to_str().unwrap(),
            "--today",
            "2023-02-08",
            // 连同（不带编号的）催报通知一起生成，一并核对它们的内容与版式；
            // 不带 --reminders 时没有催报通知，见 build::first_distribution_has_no_reminders。
            "--reminders",
        ]);
        assert!(
            o.status.success(),
            "duban build 失败：{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let o = duban(&["catalogue", "--format", "json"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let cat: Cat = serde_json::from_slice(&o.stdout).unwrap();
        let reg = load_registry();
        let expect = expectations(&cat, &reg);
        Shipped {
            out,
            cat,
            units: reg.units,
            expect,
        }
    })
}

/// 登记册中的全部单位名与别名（半角、全角括号两种写法；打印测试检查标题不从单位名中间断开）。
pub(crate) fn registry_names() -> Vec<String> {
    let reg = load_registry();
    let mut names: Vec<String> = reg.units.clone();
    names.extend(reg.canon.keys().cloned());
    let full: Vec<String> = names
        .iter()
        .map(|n| n.replace('(', "（").replace(')', "）"))
        .collect();
    names.extend(full);
    names.sort();
    names.dedup();
    names
}

/// 区政府办公室的名称（duban.toml `[deadlines] office`）。
fn office() -> String {
    let text = std::fs::read_to_string(root().join("duban.toml")).unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    v["deadlines"]["office"].as_str().unwrap().to_string()
}

/// 按内容流顺序提取的文字。
fn pdfraw(p: &Path) -> String {
    pdftotext(p, &["-raw"])
}

/// 单位目录里名称含 `doc` 的文件（扩展名 `ext`）。
fn doc(out: &Path, unit: &str, doc: &str, ext: &str) -> Option<PathBuf> {
    let dir = out.join(unit);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.contains(doc) && n.ends_with(&format!(".{ext}"))
        })
        .collect();
    assert!(found.len() <= 1, "{unit}：多个“{doc}”文件 {found:?}");
    found.pop()
}

fn ids(cat: &Cat, set: &BTreeSet<usize>) -> Vec<String> {
    set.iter().map(|&i| cat.tasks[i].id.clone()).collect()
}

fn text_of<'a>(cat: &'a Cat, id: &str) -> &'a str {
    &cat.tasks.iter().find(|t| t.id == id).unwrap().text
}

/// PDF 文字（去空白）中依次含有各任务正文的每个字，且每项正文基本连续
/// （中间最多插入一次换页的表头、页码）。返回第一处不符。
/// 标点按半角比较（PDF 印全角，见 [`halfwidth`]）。
fn texts_in_order(pdf: &Path, tasks: &[&CTask], what: &str) -> Result<(), String> {
    let pdf: Vec<char> = halfwidth(&squash(&pdfraw(pdf))).chars().collect();
    let mut pos = 0;
    for t in tasks {
        let want: Vec<char> = halfwidth(&squash(&t.text)).chars().collect();
        let start = pdf[pos..]
            .iter()
            .position(|&c| c == want[0])
            .map(|p| pos + p)
            .ok_or_else(|| format!("{what}：找不到第{}项的首字", t.id))?;
        let mut at = start;
        for (k, &ch) in want.iter().enumerate() {
            match pdf[at..].iter().position(|&c| c == ch) {
                Some(p) => at += p + 1,
                None => {
                    let ctx: String = want[k.saturating_sub(10)..(k + 10).min(want.len())]
                        .iter()
                        .collect();
                    return Err(format!(
                        "{what}：第{}项第{k}字“{ch}”丢失（上下文“{ctx}”）",
                        t.id
                    ));
                }
            }
        }
        if at - start > want.len() + 200 {
            return Err(format!(
                "{what}：第{}项的文字分散在 {} 个字符中（正文 {} 字）",
                t.id,
                at - start,
                want.len()
            ));
        }
        pos = at;
    }
    Ok(())
}

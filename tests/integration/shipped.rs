//! 交付内容端到端：用仓库自带的 2023 年通知、content/units.toml 和 content/submissions/ 构建一次
//! （`duban build --today 2023-02-08`），逐个单位核对生成的材料。
//!
//! 期望值不取自 src/roles.rs：测试自己解析 `duban catalogue --format json` 和 units.toml，
//! 按 README“分工规则”一节用最直白的代码算出每个单位的角色、牵头任务、总牵头任务和季报任务。

use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

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

struct Shipped {
    out: PathBuf,
    cat: Cat,
    /// 登记册中的全部单位（规范名，68 个）。
    units: Vec<String>,
    expect: BTreeMap<String, Expect>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn duban(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_duban"))
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .output()
        .unwrap()
}

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

fn shipped() -> &'static Shipped {
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

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pdftotext(p: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg("-raw")
        .arg(p)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftotext {}", p.display());
    String::from_utf8(o.stdout).unwrap()
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

/// 读回的表：表头、数据行（带隐藏键）、文档自定义属性。
struct Table {
    header: Vec<String>,
    /// 每行各列文字（不含隐藏键列）与该行隐藏键。
    rows: Vec<(Vec<String>, String)>,
    props: BTreeMap<String, String>,
    title: String,
}

fn cell(r: &Range<Data>, row: u32, col: u32) -> String {
    r.get_value((row, col))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

fn custom_props(path: &Path) -> BTreeMap<String, String> {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name("docProps/custom.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    let unescape = |v: &str| {
        v.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    let mut m = BTreeMap::new();
    for p in s.split("<property ").skip(1) {
        let name = p
            .split("name=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let body = &p[p.find('>').unwrap() + 1..];
        let v = body
            .split('>')
            .nth(1)
            .unwrap()
            .split("</vt:")
            .next()
            .unwrap();
        m.insert(unescape(name), unescape(v));
    }
    m
}

/// 取回一个多段存放的属性（`name` 或 `name.parts` + `name.1`…）。
fn prop(props: &BTreeMap<String, String>, name: &str) -> Option<String> {
    if let Some(v) = props.get(name) {
        return Some(v.clone());
    }
    let n: usize = props.get(&format!("{name}.parts"))?.parse().unwrap();
    Some(
        (1..=n)
            .map(|i| props[&format!("{name}.{i}")].clone())
            .collect(),
    )
}

fn read_table(path: &Path) -> Table {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let r = wb.worksheet_range_at(0).unwrap().unwrap();
    let (h, _) = (0..10u32)
        .map(|row| (row, cell(&r, row, 0)))
        .find(|(_, c)| c == "序号" || c == "责任人")
        .unwrap_or_else(|| panic!("{}：找不到表头行", path.display()));
    let width = r.end().unwrap().1 + 1;
    let header: Vec<String> = (0..width).map(|c| cell(&r, h, c)).collect();
    let key_col = header
        .iter()
        .position(|c| c == "隐藏键")
        .unwrap_or_else(|| panic!("{}：没有隐藏键列 {header:?}", path.display()));
    let mut rows = Vec::new();
    for row in h + 1..=r.end().unwrap().0 {
        let key = cell(&r, row, key_col as u32);
        let cells: Vec<String> = (0..key_col as u32).map(|c| cell(&r, row, c)).collect();
        if key.is_empty() {
            // 只允许表尾的备注行没有键。
            assert!(
                cells[0].starts_with("备注") || cells.iter().all(|c| c.is_empty()),
                "{}：第 {} 行没有隐藏键：{cells:?}",
                path.display(),
                row + 1
            );
            continue;
        }
        rows.push((cells, key));
    }
    Table {
        header: header[..key_col].to_vec(),
        rows,
        props: custom_props(path),
        title: cell(&r, 1, 0),
    }
}

impl Table {
    /// 第 0 列（序号，纵向合并只在首格有值）非空的值，依次。
    fn numbers(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|(c, _)| c[0].clone())
            .filter(|c| !c.is_empty())
            .collect()
    }
    /// 每行所在任务块的序号（向下延续合并格的值）。
    fn block_ids(&self) -> Vec<String> {
        let mut cur = String::new();
        self.rows
            .iter()
            .map(|(c, _)| {
                if !c[0].is_empty() {
                    cur = c[0].clone();
                }
                cur.clone()
            })
            .collect()
    }
    /// 自定义属性与可见单元格一致：单位、表种、季度、任务序号（有序号列的表 = 序号列，附表2 为空）。
    fn check_props(&self, path: &Path, unit: &str, form: &str, quarter: &str) {
        let ids = if self.header[0] == "序号" {
            self.numbers().join(",")
        } else {
            String::new()
        };
        let p = &self.props;
        let what = path.display();
        assert_eq!(prop(p, "duban.unit").as_deref(), Some(unit), "{what}");
        assert_eq!(prop(p, "duban.form").as_deref(), Some(form), "{what}");
        assert_eq!(prop(p, "duban.quarter").as_deref(), Some(quarter), "{what}");
        assert!(
            prop(p, "duban.template_version").is_some_and(|v| !v.is_empty()),
            "{what}：缺 template_version"
        );
        assert_eq!(
            prop(p, "duban.task_ids").unwrap_or_default(),
            ids,
            "{what}：task_ids 属性与序号列不一致"
        );
    }
}

fn text_of<'a>(cat: &'a Cat, id: &str) -> &'a str {
    &cat.tasks.iter().find(|t| t.id == id).unwrap().text
}

#[test]
fn catalogue_and_registry_as_expected() {
    let s = shipped();
    assert_eq!(s.units.len(), 68);
    assert_eq!(s.cat.tasks.len(), 139);
    assert_eq!(
        s.cat
            .tasks
            .iter()
            .filter(|t| t.id.starts_with("三."))
            .count(),
        4
    );
}

#[test]
fn unit_folders_are_exactly_units_with_a_role() {
    let s = shipped();
    let dirs: BTreeSet<String> = std::fs::read_dir(&s.out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let want: BTreeSet<String> = s
        .expect
        .iter()
        .filter(|(_, e)| e.any())
        .map(|(u, _)| u.clone())
        .collect();
    let extra: Vec<_> = dirs.difference(&want).collect();
    let missing: Vec<_> = want.difference(&dirs).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "多出的单位目录 {extra:?}，缺少的单位目录 {missing:?}"
    );
    // 所有有角色的单位都是登记册中的单位（目录没有未登记的名字）。
    for u in &want {
        assert!(s.units.contains(u), "{u} 不在登记册中");
    }
    for u in &s.units {
        if !want.contains(u) {
            eprintln!("注意：{u} 没有任何任务（未生成材料）");
        }
    }
}

/// 任务清单里印出的任务称呼：“第N项” → "N"，“第三部分第N项” → "三.N"。
fn task_labels(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = squash(text).chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '第' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == '项' {
                let n: String = chars[i + 1..j].iter().collect();
                let before: String = chars[i.saturating_sub(4)..i].iter().collect();
                out.insert(if before == "第三部分" {
                    format!("三.{n}")
                } else {
                    n
                });
                i = j;
            }
        }
        i += 1;
    }
    out
}

/// 任务清单按角色分的节：角色 → (标题中的项数, 节内的任务序号)。
fn role_sections(text: &str) -> BTreeMap<String, (usize, BTreeSet<String>)> {
    let roles = ["总牵头单位", "牵头单位", "责任单位"];
    // 各节标题“作为X（N项）”的位置。
    let mut heads: Vec<(usize, usize, String, usize)> = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("作为") {
        let at = from + p;
        let after = &text[at + "作为".len()..];
        if let Some(role) = roles.iter().find(|r| after.starts_with(&format!("{r}（"))) {
            let rest = &after[role.len() + "（".len()..];
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if !digits.is_empty() && rest[digits.len()..].starts_with("项）") {
                let end = at + "作为".len() + role.len() + "（".len() + digits.len() + "项）".len();
                heads.push((at, end, role.to_string(), digits.parse().unwrap()));
            }
        }
        from = at + "作为".len();
    }
    let mut out = BTreeMap::new();
    for (k, (_, end, role, n)) in heads.iter().enumerate() {
        let stop = heads.get(k + 1).map(|h| h.0).unwrap_or(text.len());
        let prev = out.insert(role.clone(), (*n, task_labels(&text[*end..stop])));
        assert!(prev.is_none(), "“作为{role}”一节出现两次");
    }
    out
}

/// 去掉页码“—N—”（去空白后），免得它插在跨页的任务正文中间。
fn without_page_numbers(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '—' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == '—' {
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// 清单中每个任务条目（从“第N项”到下一个条目）里“本单位经“X”列入”的 X：任务序号 → 短语集合。
fn via_marks(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut cur: Option<String> = None;
    let mut rest = text;
    while !rest.is_empty() {
        // 下一处“第N项”或“本单位经“”，取较早者。
        let label = next_label(rest);
        let via = rest.find("本单位经“");
        match (label, via) {
            (Some((at, end, id)), v) if v.is_none_or(|v| at < v) => {
                cur = Some(id);
                rest = &rest[end..];
            }
            (_, Some(v)) => {
                let after = &rest[v + "本单位经“".len()..];
                let close = after.find('”').unwrap();
                let id = cur.clone().unwrap_or_else(|| "（无条目）".into());
                out.entry(id)
                    .or_default()
                    .insert(after[..close].to_string());
                rest = &after[close..];
            }
            _ => break,
        }
    }
    out
}

/// 文中下一处任务称呼：(起点字节, 终点字节, 任务序号)。
fn next_label(text: &str) -> Option<(usize, usize, String)> {
    let mut from = 0;
    while let Some(p) = text[from..].find('第') {
        let at = from + p;
        let after = &text[at + '第'.len_utf8()..];
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with('项') {
            let end = at + '第'.len_utf8() + digits.len() + '项'.len_utf8();
            let id = if text[..at].ends_with("第三部分") {
                format!("三.{digits}")
            } else {
                digits
            };
            return Some((at, end, id));
        }
        from = at + '第'.len_utf8();
    }
    None
}

/// 期望的“经短语列入”标注：本单位在该任务上没有被直接点名（牵头或责任），而经短语点到；
/// 标注的短语为点到本单位的第一个短语（牵头单位中的优先，其次责任单位，按文中顺序）。
fn expected_via(s: &Shipped, unit: &str, e: &Expect) -> BTreeMap<String, BTreeSet<String>> {
    let reg = load_registry();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for &i in e.lead.iter().chain(&e.resp) {
        let t = &s.cat.tasks[i];
        let named = |list: &[String]| {
            list.iter()
                .any(|n| !reg.groups.contains_key(&norm(n)) && reg.expand(n) == [unit])
        };
        let role_list = if e.lead.contains(&i) {
            &t.leads
        } else {
            &t.responsible
        };
        if named(role_list) {
            continue;
        }
        let phrase = role_list
            .iter()
            .find(|n| reg.groups.contains_key(&norm(n)) && reg.expand(n).iter().any(|m| m == unit))
            .unwrap_or_else(|| panic!("{unit} 第{}项：不在任何短语中", t.id));
        out.entry(t.id.clone()).or_default().insert(phrase.clone());
    }
    out
}

#[test]
fn tasklist_mentions_exactly_the_units_tasks() {
    let s = shipped();
    // 前提：任务正文本身不含“第N项”，否则下面的提取会数多。
    for t in &s.cat.tasks {
        assert!(
            task_labels(&t.text).is_empty(),
            "任务 {} 正文含“第N项”",
            t.id
        );
    }
    let mut bad = Vec::new();
    for (unit, e) in s.expect.iter().filter(|(_, e)| e.any()) {
        let Some(pdf) = doc(&s.out, unit, "任务清单", "pdf") else {
            bad.push(format!("{unit}：没有任务清单"));
            continue;
        };
        let text = without_page_numbers(&squash(&pdftotext(&pdf)));
        let got = task_labels(&text);
        let want: BTreeSet<String> = ids(&s.cat, &e.all_tasks()).into_iter().collect();
        if got != want {
            bad.push(format!(
                "{unit}：清单多出 {:?}，缺少 {:?}",
                got.difference(&want).collect::<Vec<_>>(),
                want.difference(&got).collect::<Vec<_>>()
            ));
        }
        // 按角色分节：各节的任务与条数。
        let sections = role_sections(&text);
        for (role, want) in [
            ("总牵头单位", &e.overall),
            ("牵头单位", &e.lead),
            ("责任单位", &e.resp),
        ] {
            let want: BTreeSet<String> = ids(&s.cat, want).into_iter().collect();
            match sections.get(role) {
                None if want.is_empty() => {}
                None => bad.push(format!("{unit}：缺“作为{role}”一节（应有 {want:?}）")),
                Some((n, got)) => {
                    if *got != want || *n != want.len() {
                        bad.push(format!(
                            "{unit}：“作为{role}（{n}项）”一节 多出 {:?}，缺少 {:?}",
                            got.difference(&want).collect::<Vec<_>>(),
                            want.difference(got).collect::<Vec<_>>()
                        ));
                    }
                }
            }
        }
        // 每项任务全文恰好印一次（README：同一任务在几节出现时全文只印一次）。
        for i in e.all_tasks() {
            let t = &s.cat.tasks[i];
            let n = text.matches(&squash(&t.text)).count();
            if n != 1 {
                bad.push(format!("{unit}：第{}项全文出现 {n} 次", t.id));
            }
            // 相关单位照目录列出。
            let mut parts = Vec::new();
            for (role, list) in [
                ("总牵头单位", &t.overall_leads),
                ("牵头单位", &t.leads),
                ("责任单位", &t.responsible),
            ] {
                if !list.is_empty() {
                    parts.push(format!("{role}：{}", list.join("、")));
                }
            }
            let line = format!("（{}", parts.join("；"));
            if !text.contains(&line) {
                bad.push(format!("{unit}：第{}项没有“{line}”", t.id));
            }
        }
        // “本单位经‘短语’列入”：只经短语点到的任务才有，且短语是点到本单位的第一个短语。
        let got = via_marks(&text);
        let want = expected_via(s, unit, e);
        if got != want {
            bad.push(format!(
                "{unit}：经短语列入的标注 实际 {got:?}，期望 {want:?}"
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn plan_form_for_every_lead_unit() {
    let s = shipped();
    let mut checked = 0;
    for (unit, e) in s.expect.iter().filter(|(_, e)| e.any()) {
        let x = doc(&s.out, unit, "附表1-办理方案", "xlsx");
        let p = doc(&s.out, unit, "附表1-办理方案", "pdf");
        assert_eq!(
            x.is_some(),
            !e.lead.is_empty(),
            "{unit}：附表1 XLSX 有无不对"
        );
        assert_eq!(
            p.is_some(),
            !e.lead.is_empty(),
            "{unit}：附表1 PDF 有无不对"
        );
        let Some(x) = x else { continue };
        let t = read_table(&x);
        assert_eq!(
            t.header,
            [
                "序号",
                "责任事项",
                "具体工作内容",
                "完成时间（按月）",
                "分管领导",
                "责任部门"
            ],
            "{unit}"
        );
        assert_eq!(t.numbers(), ids(&s.cat, &e.lead), "{unit}：附表1 序号列");
        let blocks = t.block_ids();
        let mut k = 0;
        for (i, (c, key)) in t.rows.iter().enumerate() {
            let id = &blocks[i];
            if !c[0].is_empty() {
                assert_eq!(c[1], text_of(&s.cat, id), "{unit}：附表1 第{id}项责任事项");
                k = 0;
            }
            k += 1;
            assert_eq!(*key, format!("task={id};row={k}"), "{unit}：附表1 隐藏键");
            assert!(c[2].starts_with(&format!("{k}.")), "{unit}：第{id}项 {c:?}");
        }
        t.check_props(&x, unit, "附表1", "");
        assert!(
            t.title.starts_with(unit.as_str()),
            "{unit}：标题 {}",
            t.title
        );
        checked += 1;
    }
    assert!(checked > 30, "只核对了 {checked} 个牵头单位");
}

#[test]
fn overall_plan_for_every_overall_lead() {
    let s = shipped();
    let mut checked = 0;
    for (unit, e) in s.expect.iter().filter(|(_, e)| e.any()) {
        let x = doc(&s.out, unit, "总体办理方案", "xlsx");
        let p = doc(&s.out, unit, "总体办理方案", "pdf");
        assert_eq!(
            x.is_some(),
            !e.overall.is_empty(),
            "{unit}：总体办理方案有无不对"
        );
        assert_eq!(
            p.is_some(),
            !e.overall.is_empty(),
            "{unit}：总体办理方案 PDF"
        );
        let Some(x) = x else { continue };
        let t = read_table(&x);
        assert_eq!(t.header[2], "牵头单位", "{unit}");
        assert_eq!(
            t.numbers(),
            ids(&s.cat, &e.overall),
            "{unit}：总体办理方案序号列"
        );
        let blocks = t.block_ids();
        // 每项任务块中“牵头单位”列依次出现的值 = 目录中的牵头单位。
        let mut leads: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut lead = String::new();
        let mut k = 0;
        for (i, (c, key)) in t.rows.iter().enumerate() {
            let id = &blocks[i];
            if !c[0].is_empty() {
                assert_eq!(c[1], text_of(&s.cat, id), "{unit}：第{id}项责任事项");
                lead = c[2].clone();
                leads.entry(id.clone()).or_default().push(lead.clone());
                k = 0;
            } else if !c[2].is_empty() {
                lead = c[2].clone();
                leads.entry(id.clone()).or_default().push(lead.clone());
                k = 0;
            }
            k += 1;
            assert_eq!(
                *key,
                format!("task={id};lead={lead};row={k}"),
                "{unit}：总体办理方案隐藏键"
            );
        }
        for &i in &e.overall {
            let task = &s.cat.tasks[i];
            let want = if task.leads.is_empty() {
                vec![String::new()]
            } else {
                task.leads.clone()
            };
            assert_eq!(
                leads.get(&task.id),
                Some(&want),
                "{unit}：第{}项牵头单位列",
                task.id
            );
        }
        t.check_props(&x, unit, "总体办理方案", "");
        checked += 1;
    }
    assert!(checked >= 10, "只核对了 {checked} 个总牵头单位");
}

#[test]
fn quarterly_form_follows_readme_rule() {
    let s = shipped();
    let mut checked = 0;
    for (unit, e) in s.expect.iter().filter(|(_, e)| e.any()) {
        let x = doc(&s.out, unit, "附表3", "xlsx");
        let p = doc(&s.out, unit, "附表3", "pdf");
        assert_eq!(
            x.is_some(),
            !e.quarterly.is_empty(),
            "{unit}：附表3 有无不对（期望季报任务 {:?}）",
            ids(&s.cat, &e.quarterly)
        );
        assert_eq!(p.is_some(), x.is_some(), "{unit}：附表3 PDF");
        let Some(x) = x else { continue };
        assert!(
            x.file_name()
                .unwrap()
                .to_string_lossy()
                .contains("2023年第二季度"),
            "{unit}：{x:?}"
        );
        let t = read_table(&x);
        assert_eq!(t.header, ["序号", "责任事项", "完成情况"], "{unit}");
        assert_eq!(t.numbers(), ids(&s.cat, &e.quarterly), "{unit}：附表3 行");
        assert_eq!(t.rows.len(), e.quarterly.len(), "{unit}：附表3 每项一行");
        for (c, key) in &t.rows {
            assert_eq!(c[1], text_of(&s.cat, &c[0]), "{unit}：附表3 第{}项", c[0]);
            assert_eq!(*key, format!("task={}", c[0]), "{unit}：附表3 隐藏键");
        }
        t.check_props(&x, unit, "附表3", "2023Q2");
        checked += 1;
    }
    assert!(checked >= 10, "只核对了 {checked} 个季报单位");
}

#[test]
fn submitted_data_is_prefilled_unaltered() {
    let s = shipped();
    // 区发改局 2023Q2 完成情况（示例）：第1、12项。
    let t = read_table(&doc(&s.out, "区发改局", "附表3", "xlsx").unwrap());
    let status = |id: &str| {
        t.rows
            .iter()
            .find(|(c, _)| c[0] == id)
            .map(|(c, _)| c[2].clone())
    };
    assert_eq!(
        status("1").as_deref(),
        Some("（示例）车光产业融合发展示范区创建方案已印发，正在推进重点项目。")
    );
    assert_eq!(
        status("12").as_deref(),
        Some("（示例）“智谷”建设工作方案已报审。")
    );
    // 区商务局第4项的办理方案行出现在其牵头单位的附表1 和总牵头单位（区发改局）的总体办理方案中。
    let sub = "1.（示例）梳理“三电”等关键零部件招商目标企业清单";
    let t = read_table(&doc(&s.out, "区商务局", "附表1-办理方案", "xlsx").unwrap());
    assert!(t
        .rows
        .iter()
        .any(|(c, k)| c[2] == sub && c[3] == "3月" && k == "task=4;row=1"));
    let t = read_table(&doc(&s.out, "区发改局", "总体办理方案", "xlsx").unwrap());
    assert!(
        t.rows
            .iter()
            .any(|(c, k)| c[3] == sub && c[4] == "3月" && k == "task=4;lead=区商务局;row=1"),
        "区发改局总体办理方案没有区商务局报送的第4项"
    );
    // 区发改局附表2（示例）。
    let t = read_table(&doc(&s.out, "区发改局", "附表2", "xlsx").unwrap());
    assert_eq!(
        t.rows[0].0,
        ["分管领导", "示例姓名", "副局长", "示例", "示例"]
    );
}

#[test]
fn contacts_form_for_every_unit() {
    let s = shipped();
    for (unit, _) in s.expect.iter().filter(|(_, e)| e.any()) {
        let x = doc(&s.out, unit, "附表2", "xlsx").unwrap_or_else(|| panic!("{unit}：缺附表2"));
        assert!(
            doc(&s.out, unit, "附表2", "pdf").is_some(),
            "{unit}：缺附表2 PDF"
        );
        let t = read_table(&x);
        assert_eq!(
            t.header,
            ["责任人", "姓名", "职务", "办公电话", "手机"],
            "{unit}"
        );
        let labels: Vec<&str> = t.rows.iter().map(|(c, _)| c[0].as_str()).collect();
        assert_eq!(
            labels,
            ["分管领导", "办公室或者综合协调处室负责人", "经办人"],
            "{unit}"
        );
        let keys: Vec<&str> = t.rows.iter().map(|(_, k)| k.as_str()).collect();
        assert_eq!(
            keys,
            ["person=leader", "person=office_head", "person=clerk"],
            "{unit}"
        );
        assert!(t.title.starts_with(unit.as_str()), "{unit}：{}", t.title);
        t.check_props(&x, unit, "附表2", "");
    }
}

#[test]
fn master_xlsx_has_every_task_as_catalogue() {
    let s = shipped();
    let x = s.out.join("00-责任分解总表.xlsx");
    let t = read_table(&x);
    assert_eq!(
        t.header,
        [
            "序号",
            "任务组",
            "总牵头单位",
            "牵头单位",
            "责任单位",
            "责任事项"
        ]
    );
    assert_eq!(t.rows.len(), s.cat.tasks.len(), "总表行数");
    for ((c, key), task) in t.rows.iter().zip(&s.cat.tasks) {
        let id = &task.id;
        assert_eq!(c[0], *id);
        assert_eq!(*key, format!("task={id}"));
        assert_eq!(
            c[2],
            task.overall_leads.join("、"),
            "总表第{id}项总牵头单位"
        );
        assert_eq!(c[3], task.leads.join("、"), "总表第{id}项牵头单位");
        assert_eq!(c[4], task.responsible.join("、"), "总表第{id}项责任单位");
        assert_eq!(c[5], task.text, "总表第{id}项责任事项");
    }
    t.check_props(&x, "区人民政府办公室", "责任分解总表", "");
}

/// PDF 文字（去空白）中依次含有各任务正文的每个字，且每项正文基本连续
/// （中间最多插入一次换页的表头、页码）。返回第一处不符。
fn texts_in_order(pdf: &Path, tasks: &[&CTask], what: &str) -> Result<(), String> {
    let pdf: Vec<char> = squash(&pdftotext(pdf)).chars().collect();
    let mut pos = 0;
    for t in tasks {
        let want: Vec<char> = squash(&t.text).chars().collect();
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

#[test]
fn master_pdf_keeps_every_character() {
    let s = shipped();
    let all: Vec<&CTask> = s.cat.tasks.iter().collect();
    texts_in_order(&s.out.join("00-责任分解总表.pdf"), &all, "总表 PDF").unwrap();
}

#[test]
fn form_pdfs_keep_every_task_text() {
    // 附表1、总体办理方案、附表3 的 PDF：期望的任务正文按目录顺序逐字都在。
    let s = shipped();
    let mut bad = Vec::new();
    for (unit, e) in s.expect.iter().filter(|(_, e)| e.any()) {
        for (name, set) in [
            ("附表1-办理方案", &e.lead),
            ("总体办理方案", &e.overall),
            ("附表3", &e.quarterly),
        ] {
            let Some(pdf) = doc(&s.out, unit, name, "pdf") else {
                continue;
            };
            let tasks: Vec<&CTask> = set.iter().map(|&i| &s.cat.tasks[i]).collect();
            if let Err(m) = texts_in_order(&pdf, &tasks, &format!("{unit} {name} PDF")) {
                bad.push(m);
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

fn all_files(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all_files(&p, base, out);
        } else {
            let rel = p
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel);
        }
    }
}

/// 简单 CSV（字段可带引号，引号内的 "" 为引号）。
fn csv_fields(line: &str) -> Vec<String> {
    let mut f = Vec::new();
    let mut cur = String::new();
    let mut q = false;
    let mut it = line.chars().peekable();
    while let Some(c) = it.next() {
        match (c, q) {
            ('"', true) if it.peek() == Some(&'"') => {
                cur.push('"');
                it.next();
            }
            ('"', _) => q = !q,
            (',', false) => f.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    f.push(cur);
    f
}

fn pdfinfo_pages(p: &Path) -> u32 {
    let o = Command::new("pdfinfo").arg(p).output().unwrap();
    assert!(o.status.success(), "pdfinfo {}", p.display());
    let s = String::from_utf8(o.stdout).unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn index_lists_every_file_with_page_counts() {
    let s = shipped();
    let text = std::fs::read_to_string(s.out.join("文件清单.csv")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("单位,文件,文档,页数"));
    let mut listed: BTreeMap<String, (String, String)> = BTreeMap::new();
    for l in lines {
        let f = csv_fields(l);
        assert_eq!(f.len(), 4, "{l}");
        let unit_of_path = f[1].split_once('/').map(|(u, _)| u).unwrap_or("");
        assert_eq!(f[0], unit_of_path, "清单行单位与路径不符：{l}");
        // 文档列 = 文件名去掉“NN-”序号和扩展名。
        let stem = f[1].rsplit('/').next().unwrap();
        let stem = stem.rsplit_once('.').unwrap().0;
        assert_eq!(
            Some(f[2].as_str()),
            stem.split_once('-').map(|x| x.1),
            "{l}"
        );
        assert!(
            listed
                .insert(f[1].clone(), (f[2].clone(), f[3].clone()))
                .is_none(),
            "重复：{l}"
        );
    }
    let mut files = BTreeSet::new();
    all_files(&s.out, &s.out, &mut files);
    files.remove("文件清单.csv");
    files.remove(".duban-out");
    let keys: BTreeSet<String> = listed.keys().cloned().collect();
    assert_eq!(
        keys.difference(&files).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "清单中有但目录中没有"
    );
    assert_eq!(
        files.difference(&keys).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "目录中有但清单中没有"
    );
    for (f, (_, pages)) in &listed {
        if f.ends_with(".pdf") {
            assert!(
                pages.parse::<u32>().is_ok_and(|n| n > 0),
                "{f}：页数“{pages}”"
            );
        } else {
            assert!(pages.is_empty(), "{f}：非 PDF 却有页数“{pages}”");
        }
    }
    // 页数与 pdfinfo 一致：均匀抽 10 份 PDF（含总表）。
    let pdfs: Vec<&String> = listed.keys().filter(|f| f.ends_with(".pdf")).collect();
    let step = pdfs.len() / 10;
    for k in 0..10 {
        let f = pdfs[k * step];
        let want = pdfinfo_pages(&s.out.join(f));
        assert_eq!(
            listed[f].1,
            want.to_string(),
            "{f}：清单页数与 pdfinfo 不符"
        );
    }
}

#[test]
fn hidden_keys_of_every_xlsx_match_its_folder() {
    // 每个单位目录下的每份 XLSX：duban.unit = 目录名，duban.form 与文件名一致。
    let s = shipped();
    let mut n = 0;
    for (unit, _) in s.expect.iter().filter(|(_, e)| e.any()) {
        for e in std::fs::read_dir(s.out.join(unit)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "xlsx") {
                let props = custom_props(&p);
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                let form = prop(&props, "duban.form").unwrap();
                assert_eq!(
                    prop(&props, "duban.unit").as_deref(),
                    Some(unit.as_str()),
                    "{name}"
                );
                let ok = match form.as_str() {
                    "附表1" => name.contains("附表1-办理方案"),
                    "总体办理方案" => name.contains("总体办理方案"),
                    "附表2" => name.contains("附表2"),
                    "附表3" => name.contains("附表3"),
                    _ => false,
                };
                assert!(ok, "{unit}/{name}：duban.form = {form}");
                n += 1;
            }
        }
    }
    assert!(n > 150, "只核对了 {n} 份 XLSX");
}

//! 读 units.toml：逐段读入、逐段报错（带行列），检查名称唯一与群体短语的成员。

use super::{normalize, RawGroup, RawRegistry, Registry, Unit};
use crate::diag::{Diagnostic, Diagnostics};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

impl Registry {
    /// 解析 units.toml 文本。`file` 只用于诊断。
    ///
    /// 每个 `[[unit]]`、`[[group]]` 段单独读：一段写错（如 `kind = "部门"`）只报这一段
    /// （带行列），其余照常读入，一次列出全部错误；TOML 语法错（如引号不配对）时整个文件读不出，
    /// 返回空登记册和一条错误。调用方见到错误须停下（[`InvalidRegistry`]），不能拿残缺的登记册去解析通知。
    pub fn parse(text: &str, file: &str) -> (Registry, Diagnostics) {
        let mut diags = Diagnostics::new();
        let hint_unit = "每个单位写成 [[unit]] 段，含 name、kind（区直部门/街道办事处/企业/其他）、aliases；见文件开头的说明";
        let at = |byte: usize, msg: String, hint: &str| {
            let (line, col) = crate::diag::line_col(text, byte);
            Diagnostic::error(file, line, col, msg).with_hint(hint)
        };
        let top: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let start = e.span().map(|s| s.start).unwrap_or(0);
                let msg = format!("单位登记册格式有误：{}", crate::diag::toml_message(&e));
                diags.push(at(start, msg, hint_unit));
                return (Registry::default(), diags);
            }
        };
        for key in top.keys().filter(|k| *k != "unit" && *k != "group") {
            let byte = text.find(key.as_str()).unwrap_or(0);
            let msg = format!("单位登记册里不认识“{key}”：只能有 [[unit]] 与 [[group]] 段");
            diags.push(at(byte, msg, hint_unit));
        }
        let loose: Loose = toml::from_str(text).unwrap_or_default();
        let mut starts: Vec<usize> = loose
            .unit
            .iter()
            .chain(&loose.group)
            .map(|t| t.span().start)
            .collect();
        starts.sort_unstable();
        let entry_text = |start: usize| {
            let i = starts.partition_point(|&s| s <= start);
            let end = starts.get(i).copied().unwrap_or(text.len());
            &text[start..end]
        };
        let mut raw = RawRegistry {
            unit: Vec::new(),
            group: Vec::new(),
        };
        // 读不出的单位段的名称：群体短语的成员写到它时不再另报“未登记”（同一处错误只报一次）。
        let mut broken: HashSet<String> = HashSet::new();
        for t in &loose.unit {
            match read_entry::<OneUnit>(entry_text(t.span().start), "[[unit]]", t) {
                Ok(mut one) => raw.unit.append(&mut one.unit),
                Err((off, m)) => {
                    if let Some(n) = t.get_ref().get("name").and_then(|v| v.as_str()) {
                        broken.insert(normalize(n));
                    }
                    diags.push(at(t.span().start + off, m, hint_unit));
                }
            }
        }
        let hint_group = "群体短语写成 [[group]] 段，含 name、aliases、members（已登记单位的规范名）或 member_kind";
        for t in &loose.group {
            match read_entry::<OneGroup>(entry_text(t.span().start), "[[group]]", t) {
                Ok(mut one) => raw.group.append(&mut one.group),
                Err((off, m)) => diags.push(at(t.span().start + off, m, hint_group)),
            }
        }
        let reg = Registry::from(raw);
        reg.validate(text, file, &broken, &mut diags);
        (reg, diags)
    }

    fn validate(&self, text: &str, file: &str, broken: &HashSet<String>, diags: &mut Diagnostics) {
        // 名称与别名（规范化后）在单位和群体短语之间都必须唯一，否则拆分结果不确定。
        let quoted = QuotedIndex::new(text);
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut occurrences: HashMap<&str, usize> = HashMap::new();
        for (n, owner) in self.written_names() {
            let key = normalize(n);
            let k = occurrences.entry(n.as_str()).or_insert(0);
            *k += 1;
            if key.is_empty() {
                let (line, col) = quoted.find(text, n, *k);
                diags.push(
                    Diagnostic::error(file, line, col, "单位名称或别名为空")
                        .with_hint("删除空字符串或填写名称"),
                );
                continue;
            }
            if let Some(first) = seen.get(&key) {
                let (line, col) = quoted.find(text, n, *k);
                diags.push(
                    Diagnostic::error(
                        file,
                        line,
                        col,
                        format!("名称“{n}”重复登记（已用于“{first}”）"),
                    )
                    .with_hint("同一名称只能指向一个单位或群体短语，删除其中一处"),
                );
            } else {
                seen.insert(key, owner);
            }
        }
        for g in &self.groups {
            for m in &g.members {
                if self.unit(m).is_none() && !broken.contains(&normalize(m)) {
                    let (line, col) = quoted.find(text, m, 1);
                    let sug = self.suggest(&[m]);
                    let hint = if sug.is_empty() {
                        "成员须是已登记单位的规范名，请先用 [[unit]] 登记".to_string()
                    } else {
                        format!("你是不是要找：{}？", sug.join("、"))
                    };
                    diags.push(
                        Diagnostic::error(
                            file,
                            line,
                            col,
                            format!("群体短语“{}”的成员“{m}”未登记", g.name),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
    }
}

/// 宽松读法：只取各段的位置，内容逐段再读（见 [`Registry::parse`]）。
#[derive(Debug, Default, Deserialize)]
struct Loose {
    #[serde(default)]
    unit: Vec<toml::Spanned<toml::Table>>,
    #[serde(default)]
    group: Vec<toml::Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OneUnit {
    unit: Vec<Unit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OneGroup {
    group: Vec<RawGroup>,
}

/// 单独读一段。`slice` 从该段的 `[[unit]]` 起到下一段之前；返回错误在段内的字节偏移与中文说明。
fn read_entry<T: serde::de::DeserializeOwned>(
    slice: &str,
    header: &str,
    table: &toml::Spanned<toml::Table>,
) -> Result<T, (usize, String)> {
    let msg = |e: &toml::de::Error| format!("单位登记册格式有误：{}", crate::diag::toml_message(e));
    if slice.starts_with(header) {
        return toml::from_str::<T>(slice)
            .map_err(|e| (e.span().map(|s| s.start).unwrap_or(0), msg(&e)));
    }
    // 行内写法（unit = [{ … }]）：没有单独的文字段可读，错误记在该表的位置。
    let key = header.trim_matches(['[', ']']);
    let mut wrapper = toml::Table::new();
    wrapper.insert(
        key.to_string(),
        toml::Value::Array(vec![toml::Value::Table(table.get_ref().clone())]),
    );
    toml::Value::Table(wrapper)
        .try_into::<T>()
        .map_err(|e| (0, msg(&e)))
}

/// 登记册有错误：加载到此为止。残缺或空的登记册会让通知里的单位都成了“未登记”，
/// 生成的材料里凭空多出几十个假单位，所以不能带着错误往下走。
#[derive(Debug)]
pub struct InvalidRegistry {
    pub file: String,
    pub diagnostics: Diagnostics,
}

impl std::fmt::Display for InvalidRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "单位登记册 {} 有 {} 处错误，改正后再运行（登记册有误时通知里的单位对不上号，不解析通知、不生成材料）：",
            self.file,
            self.diagnostics.errors()
        )?;
        for d in self.diagnostics.sorted() {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidRegistry {}

/// 文中全部带引号的字符串及其位置，一次建好（逐个名称在全文里找会是平方级）。
struct QuotedIndex<'t> {
    at: HashMap<&'t str, Vec<usize>>,
}

impl<'t> QuotedIndex<'t> {
    fn new(text: &'t str) -> Self {
        let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'#' => {
                    i = b[i..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(b.len(), |p| i + p)
                }
                q @ (b'"' | b'\'') => {
                    let mut j = i + 1;
                    while j < b.len() && b[j] != q && b[j] != b'\n' {
                        j += if b[j] == b'\\' && q == b'"' { 2 } else { 1 };
                    }
                    let end = j.min(b.len());
                    if let Some(s) = text.get(i + 1..end) {
                        at.entry(s).or_default().push(i);
                    }
                    i = end + 1;
                }
                _ => i += 1,
            }
        }
        QuotedIndex { at }
    }

    /// 第 n 次出现的 `"name"` 的位置（找不到时给整文件）。
    fn find(&self, text: &str, name: &str, n: usize) -> (usize, usize) {
        self.at
            .get(name)
            .and_then(|v| v.get(n.saturating_sub(1)))
            .map(|&i| crate::diag::line_col(text, i))
            .unwrap_or((0, 0))
    }
}

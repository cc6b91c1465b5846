//! 各单位已报送的数据：`content/submissions/` 下每个单位每种表一个 TOML 文件。
//!
//! 格式（详见 `content/submissions/README.md`）：
//!
//! ```toml
//! unit = "区发改局"         # 报送单位（登记册中的规范名或别名）
//! form = "办理方案"         # 办理方案（附表1）| 总体办理方案 | 工作人员名单（附表2）| 完成情况（附表3）
//! sample = true             # 可选：示例数据
//! quarter = "2023Q2"        # 仅“完成情况”：哪个季度
//!
//! [[task]]                  # 办理方案：每项牵头任务一段
//! id = "1"
//! [[task.row]]              # 具体工作内容，一行一条
//! content = "……"
//! month = 3                 # 完成时间（按月），1–12
//! leader = "分管副局长"
//! department = "规划科"
//! ```
//!
//! 校验：未知单位、未知任务、月份不在 1–12、缺必填项，都带文件、行号和中文提示报告；
//! 不中断构建，不丢弃、不改写任何报送内容（模型原样保存，表格原样显示）。

use crate::catalogue::Catalogue;
use crate::date::Quarter;
use crate::diag::{Diagnostic, Diagnostics};
use crate::registry::Registry;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// 报送的表种。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum FormKind {
    /// 附表1 办理方案。
    Plan,
    /// 总牵头单位报区政府办公室的总体办理方案（附表1 格式，每行多一个牵头单位）。
    OverallPlan,
    /// 附表2 督办工作人员名单。
    Contacts,
    /// 附表3 季度完成情况。
    Quarterly,
}

impl FormKind {
    /// 接受“办理方案”“附表1”等写法。
    pub fn parse(s: &str) -> Option<FormKind> {
        match s.trim() {
            "办理方案" | "附表1" => Some(FormKind::Plan),
            "总体办理方案" => Some(FormKind::OverallPlan),
            "工作人员名单" | "督办工作人员名单" | "附表2" => {
                Some(FormKind::Contacts)
            }
            "完成情况" | "季度完成情况" | "附表3" => Some(FormKind::Quarterly),
            _ => None,
        }
    }
}

/// 附表1 的一行（一条具体工作内容）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanRow {
    pub content: String,
    /// 原样保存；不在 1–12 时已报告错误，但仍原样显示。
    pub month: Option<i64>,
    pub leader: String,
    pub department: String,
    /// 仅总体办理方案：这一行属于哪个牵头单位（原样保存；办理方案中为空）。
    pub lead: String,
    pub line: usize,
}

impl PlanRow {
    /// 表格中显示的完成时间，如“3月”。
    pub fn month_label(&self) -> String {
        self.month.map(|m| format!("{m}月")).unwrap_or_default()
    }
}

/// 附表1 中一项任务的报送内容。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanTask {
    pub id: String,
    /// 目录中是否有这项任务（无则已报告错误，不填入表格）。
    pub known: bool,
    pub rows: Vec<PlanRow>,
    pub line: usize,
}

/// 附表2 中的一个人。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub office_phone: String,
    #[serde(default)]
    pub mobile: String,
}

/// 附表3 中一项任务的完成情况。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub id: String,
    pub known: bool,
    pub text: String,
    pub line: usize,
}

/// 一份报送文件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submission {
    /// 文件路径（显示用）。
    pub file: String,
    /// 规范单位名（未知单位保留原文）。
    pub unit: String,
    pub unit_known: bool,
    pub form: FormKind,
    pub sample: bool,
    pub quarter: Option<Quarter>,
    /// 附表1 与总体办理方案。
    pub plan: Vec<PlanTask>,
    /// 附表2：分管领导、办公室或者综合协调处室负责人、经办人。
    pub leader: Option<Person>,
    pub office_head: Option<Person>,
    pub clerk: Option<Person>,
    /// 附表3。
    pub statuses: Vec<Status>,
}

/// 全部报送数据（按文件路径排序）。
#[derive(Debug, Clone, Default, Serialize)]
pub struct Submissions {
    pub files: Vec<Submission>,
    /// 读到但无法使用（TOML 语法错误，已报告）的文件数。
    pub unreadable: usize,
}

impl Submissions {
    /// 读到的报送文件总数（含无法使用的）。
    pub fn read(&self) -> usize {
        self.files.len() + self.unreadable
    }
    fn find(&self, unit: &str, form: FormKind, quarter: Option<Quarter>) -> Option<&Submission> {
        // 同一单位同一表重复报送时用路径排序最前的一份（已报告警告）。
        self.files.iter().find(|s| {
            s.unit_known
                && s.unit == unit
                && s.form == form
                && (quarter.is_none() || s.quarter == quarter)
        })
    }
    /// 某单位的附表1。
    pub fn plan(&self, unit: &str) -> Option<&Submission> {
        self.find(unit, FormKind::Plan, None)
    }
    /// 某单位对某任务报的具体工作内容。
    pub fn plan_rows(&self, unit: &str, task_id: &str) -> Option<&[PlanRow]> {
        self.plan(unit)?
            .plan
            .iter()
            .find(|t| t.known && t.id == task_id)
            .map(|t| t.rows.as_slice())
    }
    /// 某总牵头单位报送的总体办理方案。
    pub fn overall_plan(&self, unit: &str) -> Option<&Submission> {
        self.find(unit, FormKind::OverallPlan, None)
    }
    /// 某单位的办理方案（`overall = true` 时为总体办理方案）中某任务是否至少有一行具体工作内容。
    pub fn has_plan_rows(&self, unit: &str, task_id: &str, overall: bool) -> bool {
        let sub = if overall {
            self.overall_plan(unit)
        } else {
            self.plan(unit)
        };
        sub.is_some_and(|s| {
            s.plan
                .iter()
                .any(|t| t.known && t.id == task_id && !t.rows.is_empty())
        })
    }
    /// 某单位的附表2。
    pub fn contacts(&self, unit: &str) -> Option<&Submission> {
        self.find(unit, FormKind::Contacts, None)
    }
    /// 某单位某季度的附表3。
    pub fn quarterly(&self, unit: &str, q: Quarter) -> Option<&Submission> {
        self.find(unit, FormKind::Quarterly, Some(q))
    }
    /// 某单位某季度对某任务报的完成情况。
    pub fn status(&self, unit: &str, q: Quarter, task_id: &str) -> Option<&str> {
        self.quarterly(unit, q)?
            .statuses
            .iter()
            .find(|s| s.known && s.id == task_id)
            .map(|s| s.text.as_str())
    }
    /// 某单位某季度对某任务是否报了（非空的）完成情况。
    pub fn has_status(&self, unit: &str, q: Quarter, task_id: &str) -> bool {
        self.quarterly(unit, q).is_some_and(|s| {
            s.statuses
                .iter()
                .any(|x| x.known && x.id == task_id && !x.text.trim().is_empty())
        })
    }
}

// ---- 原始 TOML 结构（全部可选，缺项由校验报告，而不是让 serde 整份拒绝） ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    unit: Option<Spanned<String>>,
    form: Option<Spanned<String>>,
    #[serde(default)]
    sample: bool,
    quarter: Option<Spanned<String>>,
    #[serde(default)]
    task: Vec<Spanned<RawTask>>,
    leader: Option<Spanned<Person>>,
    office_head: Option<Spanned<Person>>,
    clerk: Option<Spanned<Person>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    id: Option<Spanned<String>>,
    #[serde(default)]
    row: Vec<Spanned<RawRow>>,
    status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    content: Option<String>,
    month: Option<Spanned<i64>>,
    #[serde(default)]
    leader: String,
    #[serde(default)]
    department: String,
    lead: Option<Spanned<String>>,
}

/// Excel/WPS 单元格最多 32767 个字符；表格里内容前还有序号“n.”，留出余量。
const MAX_CELL_CHARS: usize = 32_767 - 8;

/// 超过单元格上限的文字在 XLSX 中只能截断（见 `xlsx::fit_cell`）：返回其字数。
fn too_long_for_cell(s: &str) -> Option<usize> {
    let n = s.chars().count();
    (n > MAX_CELL_CHARS).then_some(n)
}

fn line_of(text: &str, span: Range<usize>) -> usize {
    // 按字节数换行符，不要求 span 落在字符边界上。
    let end = span.start.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// 解析一份报送文件。语法错误时返回 `None`（已报告）；内容问题报告后仍返回全部内容。
pub fn parse_str(
    text: &str,
    file: &str,
    reg: &Registry,
    cat: &Catalogue,
    diags: &mut Diagnostics,
) -> Option<Submission> {
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s)).unwrap_or(0);
            diags.push(
                Diagnostic::error(
                    file,
                    line,
                    0,
                    format!("报送文件无法读取：{}", crate::diag::toml_message(&e)),
                )
                .with_hint("对照 content/submissions/README.md 检查写法；本文件的数据未使用"),
            );
            return None;
        }
    };
    let mut err = |line: usize, msg: String, hint: &str| {
        diags.push(Diagnostic::error(file, line, 0, msg).with_hint(hint));
    };

    let (unit, unit_known) = match &raw.unit {
        None => {
            err(
                1,
                "缺少必填项 unit（报送单位）".into(),
                "在文件开头写 unit = \"单位名称\"",
            );
            (String::new(), false)
        }
        Some(u) => match reg.unit(u.get_ref().trim()) {
            Some(found) => (found.name.clone(), true),
            None => {
                err(
                    line_of(text, u.span()),
                    format!("未知单位“{}”", u.get_ref()),
                    "单位名称须与 content/units.toml 中的名称或别名一致；本文件的数据不会填入任何单位的表格",
                );
                (u.get_ref().clone(), false)
            }
        },
    };
    let form = match &raw.form {
        None => {
            err(
                1,
                "缺少必填项 form（表种）".into(),
                "写 form = \"办理方案\"、\"总体办理方案\"、\"工作人员名单\" 或 \"完成情况\"",
            );
            return None;
        }
        Some(f) => match FormKind::parse(f.get_ref()) {
            Some(k) => k,
            None => {
                err(
                    line_of(text, f.span()),
                    format!("未知表种“{}”", f.get_ref()),
                    "form 只能是 \"办理方案\"、\"总体办理方案\"、\"工作人员名单\" 或 \"完成情况\"（也可写 附表1/附表2/附表3）",
                );
                return None;
            }
        },
    };
    let quarter = match (&raw.quarter, form) {
        (Some(q), _) => match Quarter::parse(q.get_ref()) {
            Ok(q) => Some(q),
            Err(e) => {
                err(
                    line_of(text, q.span()),
                    e.to_string(),
                    "例如 quarter = \"2023Q2\"",
                );
                None
            }
        },
        (None, FormKind::Quarterly) => {
            err(
                1,
                "缺少必填项 quarter（季度）".into(),
                "完成情况须写明季度，例如 quarter = \"2023Q2\"",
            );
            None
        }
        (None, _) => None,
    };

    let mut sub = Submission {
        file: file.into(),
        unit,
        unit_known,
        form,
        sample: raw.sample,
        quarter,
        plan: Vec::new(),
        leader: raw.leader.map(|p| p.into_inner()),
        office_head: raw.office_head.map(|p| p.into_inner()),
        clerk: raw.clerk.map(|p| p.into_inner()),
        statuses: Vec::new(),
    };
    if form == FormKind::Contacts {
        for (key, label, p) in [
            ("leader", "分管领导", &sub.leader),
            (
                "office_head",
                "办公室或者综合协调处室负责人",
                &sub.office_head,
            ),
            ("clerk", "经办人", &sub.clerk),
        ] {
            if p.as_ref().is_none_or(|p| p.name.trim().is_empty()) {
                err(
                    1,
                    format!("缺少必填项 {key}.name（{label}姓名）"),
                    "在 [leader]、[office_head]、[clerk] 下写 name = \"…\"；其余格子留空",
                );
            }
        }
    }
    for t in raw.task {
        let tline = line_of(text, t.span());
        let t = t.into_inner();
        let (id, known) = match &t.id {
            None => {
                err(
                    tline,
                    "[[task]] 缺少必填项 id（任务序号）".into(),
                    "写 id = \"任务序号\"，如 \"1\" 或 \"三.2\"",
                );
                (String::new(), false)
            }
            Some(id) => {
                let known = cat.task(id.get_ref().trim()).is_some();
                if !known {
                    err(
                        line_of(text, id.span()),
                        format!("任务目录中没有序号为“{}”的任务", id.get_ref()),
                        "对照 duban catalogue 的输出检查序号；该项数据不会填入表格",
                    );
                }
                (id.get_ref().trim().to_string(), known)
            }
        };
        match form {
            FormKind::Plan | FormKind::OverallPlan => {
                if t.row.is_empty() {
                    err(
                        tline,
                        format!("任务 {id} 没有填写具体工作内容"),
                        "至少写一个 [[task.row]]",
                    );
                }
                let mut rows = Vec::new();
                for r in t.row {
                    let rline = line_of(text, r.span());
                    let r = r.into_inner();
                    if r.content.as_deref().is_none_or(|c| c.trim().is_empty()) {
                        err(
                            rline,
                            format!("任务 {id} 的一行缺少必填项 content（具体工作内容）"),
                            "写 content = \"……\"",
                        );
                    }
                    if let Some(n) = r.content.as_deref().and_then(too_long_for_cell) {
                        err(
                            rline,
                            format!("任务 {id} 的具体工作内容有 {n} 字，超过 Excel 单元格的上限（约 32700 字）"),
                            "精简内容，或拆成几行 [[task.row]] 分别填写；在此之前 XLSX 中该格截断并注明，PDF 中为全文",
                        );
                    }
                    let month = match &r.month {
                        None => {
                            err(
                                rline,
                                format!("任务 {id} 的一行缺少必填项 month（完成时间）"),
                                "写 month = 1 到 12 之间的整数",
                            );
                            None
                        }
                        Some(m) => {
                            if !(1..=12).contains(m.get_ref()) {
                                err(
                                    line_of(text, m.span()),
                                    format!("完成时间 month = {} 不在 1–12 之间", m.get_ref()),
                                    "按月填写，1 表示 1 月，12 表示 12 月；表格中原样显示，请更正后重新生成",
                                );
                            }
                            Some(*m.get_ref())
                        }
                    };
                    let lead = match (&r.lead, form) {
                        (None, _) => String::new(),
                        (Some(l), FormKind::Plan) => {
                            err(
                                line_of(text, l.span()),
                                format!("办理方案任务 {id} 的一行写了 lead（牵头单位）"),
                                "办理方案的牵头单位就是报送单位，不写 lead；汇总各牵头单位的请用 form = \"总体办理方案\"",
                            );
                            l.get_ref().clone()
                        }
                        (Some(l), _) => {
                            if reg.unit(l.get_ref().trim()).is_none() {
                                err(
                                    line_of(text, l.span()),
                                    format!("未知牵头单位“{}”", l.get_ref()),
                                    "lead 须与 content/units.toml 中的名称或别名一致",
                                );
                            }
                            l.get_ref().clone()
                        }
                    };
                    rows.push(PlanRow {
                        content: r.content.unwrap_or_default(),
                        month,
                        leader: r.leader,
                        department: r.department,
                        lead,
                        line: rline,
                    });
                }
                sub.plan.push(PlanTask {
                    id,
                    known,
                    rows,
                    line: tline,
                });
            }
            FormKind::Quarterly => {
                if t.status.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    err(
                        tline,
                        format!("任务 {id} 缺少必填项 status（完成情况）"),
                        "写 status = \"……\"",
                    );
                }
                if let Some(n) = t.status.as_deref().and_then(too_long_for_cell) {
                    err(
                        tline,
                        format!(
                            "任务 {id} 的完成情况有 {n} 字，超过 Excel 单元格的上限（约 32700 字）"
                        ),
                        "精简内容，只写本季度的主要进展与数据；在此之前 XLSX 中该格截断并注明，PDF 中为全文",
                    );
                }
                sub.statuses.push(Status {
                    id,
                    known,
                    text: t.status.unwrap_or_default(),
                    line: tline,
                });
            }
            FormKind::Contacts => {
                err(
                    tline,
                    "工作人员名单中不应有 [[task]]".into(),
                    "附表2 只写 [leader]、[office_head]、[clerk]",
                );
            }
        }
    }
    Some(sub)
}

/// 读取目录下全部 `*.toml` 报送文件（按路径排序）。目录不存在视为没有报送。
pub fn load_dir(
    dir: &Path,
    reg: &Registry,
    cat: &Catalogue,
) -> anyhow::Result<(Submissions, Diagnostics)> {
    use anyhow::Context;
    let mut diags = Diagnostics::new();
    let mut subs = Submissions::default();
    if !dir.exists() {
        return Ok((subs, diags));
    }
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("无法读取报送目录 {}", dir.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "toml") {
            paths.push(entry.into_path());
        }
    }
    for p in paths {
        let shown = p.display().to_string();
        // 编码不对只是这一份报送的问题：报告后跳过，其余单位照常生成。
        let text = match crate::textfile::read(&p) {
            Ok(t) => t,
            Err(crate::textfile::ReadError::Encoding { line, .. }) => {
                diags.push(
                    Diagnostic::error(
                        &shown,
                        line,
                        0,
                        "报送文件不是 UTF-8 编码（多半是以 GBK/ANSI 编码保存的），本文件的数据未使用",
                    )
                    .with_hint("用记事本或 WPS 打开该文件，“另存为”时编码选“UTF-8”，保存后重新运行"),
                );
                subs.unreadable += 1;
                continue;
            }
            Err(e) => return Err(e).with_context(|| format!("无法读取报送文件 {}", p.display())),
        };
        match parse_str(&text, &shown, reg, cat, &mut diags) {
            Some(s) => subs.files.push(s),
            None => subs.unreadable += 1,
        }
    }
    // 重复报送：同单位、同表（同季度）多于一份。
    for (i, a) in subs.files.iter().enumerate() {
        if let Some(first) = subs.files[..i].iter().find(|b| {
            b.unit_known && b.unit == a.unit && b.form == a.form && b.quarter == a.quarter
        }) {
            diags.push(
                Diagnostic::warning(
                    &a.file,
                    1,
                    0,
                    format!("{} 的同一张表已在 {} 中报送", a.unit, first.file),
                )
                .with_hint("表格按路径排序最前的一份填写；请删除或合并重复的文件"),
            );
        }
    }
    Ok((subs, diags))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::tests::sample;

    fn parse(text: &str) -> (Option<Submission>, Diagnostics) {
        let (cat, reg) = sample();
        let mut d = Diagnostics::new();
        let s = parse_str(text, "s.toml", &reg, &cat, &mut d);
        (s, d)
    }

    const PLAN: &str = r#"unit = "区商务局"
form = "办理方案"
sample = true

[[task]]
id = "2"
[[task.row]]
content = "制定方案"
month = 3
leader = "分管副局长"
department = "综合科"
[[task.row]]
content = "推进落实"
month = 13
"#;

    /// 一万字的内容照常收下；超过 Excel 单元格上限的报错并指出行号（否则生成 XLSX 时才失败）。
    #[test]
    fn overlong_cell_text_is_reported_with_line() {
        let long = |n: usize| {
            PLAN.replace("制定方案", &"长".repeat(n))
                .replace("13", "12")
        };
        let (s, d) = parse(&long(10_000));
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(s.unwrap().plan[0].rows[0].content.chars().count(), 10_000);
        let (s, d) = parse(&long(40_000));
        let errs = d.sorted();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, 7, "[[task.row]] 所在行");
        assert!(errs[0].message.contains("40000 字"), "{}", errs[0]);
        assert_eq!(
            s.unwrap().plan[0].rows[0].content.chars().count(),
            40_000,
            "不截断"
        );
    }

    /// GBK 编码的报送文件：报错（文件、行、另存为 UTF-8 的提示）并跳过，其余报送照常读入。
    #[test]
    fn gbk_submission_is_reported_and_skipped() {
        let (cat, reg) = sample();
        let dir = std::env::temp_dir().join(format!("duban-subs-gbk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a-正常.toml"), PLAN).unwrap();
        // unit = "区商务局" 的 GBK 编码写在第 2 行。
        std::fs::write(
            dir.join("b-GBK.toml"),
            b"# x\nunit = \"\xc7\xf8\xc9\xcc\xce\xf1\xbe\xd6\"\n",
        )
        .unwrap();
        let (subs, d) = load_dir(&dir, &reg, &cat).unwrap();
        assert_eq!(subs.files.len(), 1);
        assert_eq!(subs.unreadable, 1);
        let e: Vec<_> = d
            .sorted()
            .into_iter()
            .filter(|e| e.file.ends_with("b-GBK.toml"))
            .collect();
        assert_eq!(e.len(), 1, "{:?}", d.sorted());
        assert_eq!(e[0].line, 2);
        assert!(e[0].message.contains("不是 UTF-8 编码"), "{}", e[0]);
        assert!(e[0].hint.as_deref().unwrap().contains("UTF-8"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn plan_is_kept_verbatim_and_bad_month_reported() {
        let (s, d) = parse(PLAN);
        let s = s.unwrap();
        assert_eq!(s.unit, "区商务局");
        assert!(s.sample);
        assert_eq!(s.plan[0].rows.len(), 2);
        assert_eq!(s.plan[0].rows[1].month, Some(13), "不改写");
        assert_eq!(s.plan[0].rows[1].month_label(), "13月");
        let errs: Vec<_> = d.sorted();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, 14);
        assert!(errs[0].message.contains("1–12"));
        assert!(errs[0].hint.is_some());
    }

    #[test]
    fn unknown_unit_and_task_reported_with_lines() {
        let text = "unit = \"区不存在局\"\nform = \"完成情况\"\nquarter = \"2023Q2\"\n[[task]]\nid = \"999\"\nstatus = \"已完成\"\n";
        let (s, d) = parse(text);
        let s = s.unwrap();
        assert!(!s.unit_known);
        assert!(!s.statuses[0].known);
        assert_eq!(s.statuses[0].text, "已完成");
        let v = d.sorted();
        assert_eq!(v.len(), 2, "{v:?}");
        assert_eq!((v[0].line, v[1].line), (1, 5));
        assert!(v[0].message.contains("未知单位"));
        assert!(v[1].message.contains("999"));
    }

    #[test]
    fn missing_fields_and_syntax_errors() {
        let (_, d) = parse("unit = \"区商务局\"\nform = \"办理方案\"\n[[task]]\nid = \"2\"\n[[task.row]]\nleader = \"x\"\n");
        let msgs: Vec<String> = d.iter().map(|x| x.message.clone()).collect();
        assert!(msgs.iter().any(|m| m.contains("content")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("month")), "{msgs:?}");
        let (s, d) = parse("unit = \"区商务局\"\nform = \"办理方案\"\nmonht = 3\n");
        assert!(s.is_none());
        assert_eq!(d.sorted()[0].line, 3);
        let (_, d) =
            parse("unit = \"区商务局\"\nform = \"工作人员名单\"\n[leader]\nname = \"示例姓名\"\n");
        assert_eq!(d.errors(), 2, "office_head 与 clerk 缺姓名");
        let (_, d) = parse("unit = \"区商务局\"\nform = \"完成情况\"\n");
        assert!(d.iter().any(|x| x.message.contains("quarter")));
    }

    #[test]
    fn lookups() {
        let (s, _) = parse(PLAN);
        let subs = Submissions {
            files: vec![s.unwrap()],
            ..Default::default()
        };
        assert_eq!(
            subs.plan_rows("区商务局", "2").unwrap()[0].content,
            "制定方案"
        );
        assert!(subs.plan_rows("区商务局", "1").is_none());
        assert!(subs.contacts("区商务局").is_none());
    }

    #[test]
    fn overall_plan_form_with_lead_per_row() {
        let text = "unit = \"区发改局\"\nform = \"总体办理方案\"\n[[task]]\nid = \"2\"\n[[task.row]]\ncontent = \"甲\"\nmonth = 3\nlead = \"区商务局\"\n[[task.row]]\ncontent = \"乙\"\nmonth = 4\nlead = \"区不存在局\"\n";
        let (s, d) = parse(text);
        let s = s.unwrap();
        assert_eq!(s.form, FormKind::OverallPlan);
        assert_eq!(s.plan[0].rows[0].lead, "区商务局");
        assert_eq!(s.plan[0].rows[1].lead, "区不存在局", "原样保存");
        let v = d.sorted();
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].line, 12);
        assert!(v[0].message.contains("区不存在局"));
        let subs = Submissions {
            files: vec![s],
            ..Default::default()
        };
        assert!(subs.has_plan_rows("区发改局", "2", true));
        assert!(
            !subs.has_plan_rows("区发改局", "2", false),
            "总体办理方案不是本单位的办理方案"
        );
        assert!(subs.plan("区发改局").is_none());
        // 办理方案里写 lead：报错、原样保存。
        let (s, d) = parse(&PLAN.replace(
            "department = \"综合科\"",
            "department = \"综合科\"\nlead = \"区发改局\"",
        ));
        assert_eq!(s.unwrap().plan[0].rows[0].lead, "区发改局");
        assert!(d.iter().any(|x| x.message.contains("写了 lead")), "{d:?}");
    }

    proptest::proptest! {
        /// 任意文本都不会让解析崩溃；能解析的内容全部保留。
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
            let _ = parse(&text);
        }

        #[test]
        fn arbitrary_status_kept_verbatim(status in "[^\"\\\\\\p{Cc}]{1,60}") {
            let text = format!("unit = \"区发改局\"\nform = \"完成情况\"\nquarter = \"2023Q2\"\n[[task]]\nid = \"1\"\nstatus = \"{status}\"\n");
            let (s, _) = parse(&text);
            proptest::prop_assert_eq!(&s.unwrap().statuses[0].text, &status);
        }
    }
}

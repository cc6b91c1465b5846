//! 文书型输出：任务清单与催报通知。构建类型化的视图结构，交给 Tera 模板生成 Markdown，
//! 再由 `typeset::markdown_to_document` 转为文档模型。任务清单的视图在 `tasklist`。

use crate::catalogue::Catalogue;
use crate::date::Date;
use crate::schedule::{DueItem, Schedule};
use crate::templates::{TemplateError, Templates};
use crate::typeset::{markdown_to_document, Document, Meta};
use serde::Serialize;

pub use super::tasklist::{
    tasklist_view, BriefTask, RoleSection, TaskGroupView, TaskListView, TaskView, ViaPhrase,
    ViaSection,
};

/// 任务清单模板名。
pub const TASKLIST_TEMPLATE: &str = "tasklist.md.tera";
/// 催报通知模板名。
pub const REMINDER_TEMPLATE: &str = "reminder.md.tera";

/// 一行期限。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineView {
    pub what: String,
    pub to: String,
    /// “2023年2月15日”。
    pub date: String,
    /// 状态：“已报送”“未报送”“即将到期”“已逾期”或空。
    pub state: String,
}

/// 催报通知模板的视图。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderView {
    pub unit: String,
    pub plan_title: String,
    pub items: Vec<DeadlineView>,
    pub office: String,
    pub email: String,
    pub issuer: String,
    pub date: String,
}

/// Markdown 转义：任务正文原样出现在 PDF 中，不被当作强调、表格分隔等标记。
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '|' | '<' | '>' | '#' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// 清单中任务的称呼：“1” → “第1项”，“三.2” → “第三部分第2项”。
pub fn task_label(id: &str) -> String {
    match id.split_once('.') {
        Some((part, n)) => format!("第{part}部分第{n}项"),
        None => format!("第{id}项"),
    }
}

/// 书名号里再套书名号时，内层改用单书名号：《2023年区〈政府工作报告〉……》。
pub fn nested_title(title: &str) -> String {
    title.replace('《', "〈").replace('》', "〉")
}

/// 尚缺任务的称呼：["6", "20", "三.1"] → “第6、20项、第三部分第1项”。
pub fn missing_label(ids: &[String]) -> String {
    let (three, main): (Vec<&String>, Vec<&String>) = ids.iter().partition(|id| id.contains('.'));
    let mut parts = Vec::new();
    if !main.is_empty() {
        let v: Vec<&str> = main.iter().map(|s| s.as_str()).collect();
        parts.push(format!("第{}项", v.join("、")));
    }
    if !three.is_empty() {
        let v: Vec<&str> = three
            .iter()
            .map(|s| s.split_once('.').map(|x| x.1).unwrap_or(s))
            .collect();
        parts.push(format!("第三部分第{}项", v.join("、")));
    }
    parts.join("、")
}

/// 状态文字；报了一部分的写明尚缺哪几项。
pub fn state(item: &DueItem, today: Date) -> String {
    let base = match item.submitted {
        None => return String::new(),
        Some(true) => return "已报送".into(),
        Some(false) if item.date < today => "已逾期",
        Some(false) => "未报送",
    };
    if item.missing.is_empty() {
        base.into()
    } else {
        format!("{base}，尚缺{}", missing_label(&item.missing))
    }
}

/// 期限表的一行。
pub fn deadline_view(i: &DueItem, today: Date) -> DeadlineView {
    DeadlineView {
        what: md_escape(&i.what),
        to: md_escape(&i.to),
        date: i.date.chinese(),
        state: state(i, today),
    }
}

/// 构建催报通知视图。
pub fn reminder_view(
    cat: &Catalogue,
    unit: &str,
    items: &[DueItem],
    schedule: &Schedule,
    issuer: &str,
    today: Date,
) -> ReminderView {
    ReminderView {
        unit: md_escape(unit),
        plan_title: md_escape(&nested_title(&cat.title)),
        items: items
            .iter()
            .map(|i| {
                let mut v = deadline_view(i, today);
                if let Some(rest) = v.state.strip_prefix("未报送") {
                    v.state = format!("即将到期{rest}");
                }
                v
            })
            .collect(),
        office: md_escape(&schedule.office),
        email: md_escape(&schedule.office_email),
        issuer: md_escape(issuer),
        date: today.chinese(),
    }
}

/// 渲染模板并转为文档。
pub fn to_document(
    templates: &Templates,
    name: &str,
    view: &impl Serialize,
    meta: Meta,
) -> Result<(String, Document), TemplateError> {
    let md = templates.render(name, view)?;
    let doc = markdown_to_document(&md, meta);
    Ok((md, doc))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::duties::{assign, tests::sample};
    use crate::schedule::due_items;
    use crate::submissions::Submissions;

    /// 直接用内置模板渲染（`Templates::load` 由排版分支实现）。
    pub(crate) fn render(name: &str, view: &impl Serialize) -> String {
        let mut t = tera::Tera::default();
        t.add_raw_templates(crate::templates::BUILTIN.iter().copied())
            .unwrap();
        t.render(name, &tera::Context::from_serialize(view).unwrap())
            .unwrap()
    }

    #[test]
    fn reminder_lists_missing_items() {
        let (cat, reg) = sample();
        let (d, _) = assign(&cat, &reg);
        let s = Schedule::from_config(&Default::default()).unwrap();
        let today = Date::parse("2023-02-16").unwrap();
        let sw = d.get("区商务局").unwrap();
        let items =
            crate::schedule::reminders(&due_items(&cat, sw, &Submissions::default(), &s), today);
        let md = render(
            REMINDER_TEMPLATE,
            &reminder_view(&cat, "区商务局", &items, &s, "区人民政府办公室", today),
        );
        assert!(md.contains("\n区商务局：\n"), "抬头用全角冒号：{md}");
        // 落款是署名块：发文机关与成文日期由排版器按 GB/T 9704 定位（右空四字），不是两段右对齐文字。
        let doc = markdown_to_document(&md, Meta::default());
        assert!(
            matches!(doc.sections.last().and_then(|s| s.blocks.last()), Some(crate::typeset::Block::Signature { issuer, date })
                if issuer == "区人民政府办公室" && date == "2023年2月16日"),
            "{:?}",
            doc.sections.last().and_then(|s| s.blocks.last())
        );
        assert!(
            md.contains("| 办理方案（附表1） | 总牵头单位 区发改局 | 2023年2月15日 | 已逾期 |"),
            "{md}"
        );
        assert!(md.contains("zfducha@163.com"));
        assert!(md.contains("根据《测试方案》"));
        assert_eq!(
            nested_title("2023年区《政府工作报告》方案"),
            "2023年区〈政府工作报告〉方案"
        );
    }

    /// 转义后的文字经 Markdown 排版回来一字不差（模板里它们出现在行中间）：
    /// 包括网页复制带来的“&amp;”“&nbsp;”这类字面写法，不能被当作 HTML 实体换掉。
    #[test]
    fn escaped_text_round_trips_through_markdown() {
        for s in [
            "R&amp;D 研发",
            "&nbsp;空格&#123;",
            "*强调*与`代码`",
            "<b>粗</b>[链接](http://x)![图](x)",
            "a\\b~~删~~a_b_c<http://x.y>",
            "3.6平方公里、5G+工业|互联网#1",
        ] {
            let md = format!("前文{}\n", md_escape(s));
            let doc = markdown_to_document(&md, Meta::default());
            let got: Vec<String> = doc
                .sections
                .iter()
                .flat_map(|s| &s.blocks)
                .map(|b| match b {
                    crate::typeset::Block::Paragraph { content, .. } => {
                        content.iter().map(|c| c.text.as_str()).collect()
                    }
                    other => format!("{other:?}"),
                })
                .collect();
            assert_eq!(got, [format!("前文{s}")], "{md}");
        }
    }

    #[test]
    fn escape_keeps_text() {
        assert_eq!(md_escape("5G+工业*互联网|x"), "5G+工业\\*互联网\\|x");
        assert_eq!(task_label("12"), "第12项");
        assert_eq!(task_label("三.2"), "第三部分第2项");
    }

    #[test]
    fn partial_state_names_missing_tasks() {
        let item = DueItem {
            what: "办理方案（附表1）".into(),
            to: "总牵头单位 区发改局".into(),
            date: Date::parse("2023-02-15").unwrap(),
            submitted: Some(false),
            missing: vec!["6".into(), "20".into(), "三.1".into()],
        };
        assert_eq!(
            state(&item, Date::parse("2023-02-16").unwrap()),
            "已逾期，尚缺第6、20项、第三部分第1项"
        );
        assert_eq!(
            state(&item, Date::parse("2023-02-08").unwrap()),
            "未报送，尚缺第6、20项、第三部分第1项"
        );
    }
}

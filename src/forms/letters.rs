//! 文书型输出：催报通知与各文书共用的转义、期限表（任务清单的视图在 `tasklist`，督办情况通报的视图在 `status::bulletin`）。构建类型化的视图结构，交给 Tera 模板生成 Markdown，
//! 再由 `typeset::markdown_to_document` 转为文档模型。

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::date::Date;
use crate::schedule::{missing_label, DueItem, Schedule, State};
use crate::templates::{TemplateError, Templates};
use crate::typeset::{markdown_to_document, Document, Meta};
use serde::Serialize;

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
    /// 状态：“已报送（按时）”“未报送（逾期2天）”“未到期（剩7天）”“部分报送（逾期1天），尚缺第4项”；
    /// 不跟踪的事项为空。
    pub state: String,
}

/// 催报通知中的一项材料。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderItem {
    /// 报送事项及报送对象，如“办理方案（附表1），报总牵头单位 区发改局”。
    pub what: String,
    /// 原截止日期“2月15日”（与催报日期不同年时写全“2024年1月20日”）。
    pub deadline: String,
    /// 状态（不含尚缺的任务，它们另列在表后，免得一格几十个序号把整行挤到下一页）。
    pub state: String,
    /// 新截止日期：已逾期的为催报日期加 `[remind] grace_days` 天；未到期的仍是原截止日期。
    pub new_deadline: String,
}

/// 催报通知模板的视图。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderView {
    pub unit: String,
    pub plan_title: String,
    /// 督办编号，如“督办〔2023〕3号”（`duban remind` 编；`duban build --reminders` 时为空）。
    pub number: String,
    pub items: Vec<ReminderItem>,
    /// 报了一部分的材料尚缺哪几项，每项一句：“办理方案（附表1）尚缺第1—3、7项。”
    pub notes: Vec<String>,
    /// 是否有已逾期的材料。
    pub overdue: bool,
    pub office: String,
    pub email: String,
    /// 联系人与电话（`[remind]`；空则模板不印这一句）。
    pub contact: String,
    pub phone: String,
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

/// 状态文字；报了一部分的写明尚缺哪几项（模型见 [`crate::schedule::Assessment`]）。
pub fn state(item: &DueItem, today: Date) -> String {
    item.assess(today, 0).text()
}

/// 期限表的一行（任务清单、催报通知共用）。
pub fn deadline_view(i: &DueItem, today: Date) -> DeadlineView {
    DeadlineView {
        what: md_escape(&i.what),
        to: md_escape(&i.to),
        date: i.date.chinese(),
        state: state(i, today),
    }
}

/// 催报通知上的新截止日期：已逾期的为催报日期加 `[remind] grace_days` 天；未到期的仍是原截止日期。
pub fn new_deadline(item: &DueItem, cfg: &Config, today: Date) -> Date {
    if item.date < today {
        today.add_days(cfg.remind.grace_days).max(item.date)
    } else {
        item.date
    }
}

/// 与落款同年的日期省去年份（“2月15日”），跨年的写全（第四季度的季报在次年 1 月截止）：
/// 表格的日期列因此窄而不折行。
pub fn short_date(d: Date, today: Date) -> String {
    if d.year == today.year {
        format!("{}月{}日", d.month, d.day)
    } else {
        d.chinese()
    }
}

/// 构建催报通知视图：`items` 为要催报的事项（[`crate::schedule::reminders`]），`number` 为督办编号。
pub fn reminder_view(
    cat: &Catalogue,
    unit: &str,
    items: &[DueItem],
    schedule: &Schedule,
    cfg: &Config,
    number: &str,
    today: Date,
) -> ReminderView {
    let mut notes = Vec::new();
    let mut overdue = false;
    let rows = items
        .iter()
        .map(|i| {
            let a = i.assess(today, cfg.status.due_soon_days);
            let late = a.state == State::Overdue;
            overdue |= late;
            if a.partial() {
                notes.push(md_escape(&format!(
                    "{}尚缺{}。",
                    i.what,
                    missing_label(&a.missing)
                )));
            }
            ReminderItem {
                what: md_escape(&format!("{}，报{}", i.what, i.to)),
                deadline: short_date(i.date, today),
                state: a.label(),
                new_deadline: short_date(new_deadline(i, cfg, today), today),
            }
        })
        .collect();
    ReminderView {
        unit: md_escape(unit),
        plan_title: md_escape(&nested_title(&cat.title)),
        number: md_escape(number),
        items: rows,
        notes,
        overdue,
        office: md_escape(&schedule.office),
        email: md_escape(&schedule.office_email),
        contact: md_escape(&cfg.remind.contact),
        phone: md_escape(&cfg.remind.phone),
        issuer: md_escape(&cfg.project.issuer),
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
        let (mut cat, reg) = sample();
        // 区商务局再牵头甲组任务 1，只报了任务 2：部分报送，尚缺第1项写在表后。
        cat.tasks[0]
            .leads
            .push(crate::catalogue::UnitRef::unit("区商务局"));
        let (d, _) = assign(&cat, &reg);
        let s = Schedule::from_config(&Default::default()).unwrap();
        let today = Date::parse("2023-02-16").unwrap();
        let sw = d.get("区商务局").unwrap();
        let plan2 = "unit = \"区商务局\"\nform = \"办理方案\"\n[[task]]\nid = \"2\"\n[[task.row]]\ncontent = \"甲\"\nmonth = 3\n";
        let mut diags = crate::diag::Diagnostics::new();
        let subs = Submissions {
            files: vec![
                crate::submissions::parse_str(plan2, "s.toml", &reg, &cat, &mut diags).unwrap(),
            ],
            ..Default::default()
        };
        let items = crate::schedule::reminders(&due_items(&cat, sw, &subs, &s), today, 7);
        let mut cfg = Config::default();
        cfg.remind.contact = "王某".into();
        cfg.remind.phone = "027-12345678".into();
        let view = reminder_view(&cat, "区商务局", &items, &s, &cfg, "督办〔2023〕3号", today);
        let md = render(REMINDER_TEMPLATE, &view);
        assert!(md.contains("\n区商务局：\n"), "抬头用全角冒号：{md}");
        assert!(md.contains("> 督办编号：督办〔2023〕3号\n"), "{md}");
        // 落款是署名块：发文机关与成文日期由排版器按 GB/T 9704 定位（右空四字），不是两段右对齐文字。
        let doc = markdown_to_document(&md, Meta::default());
        assert!(
            matches!(doc.sections.last().and_then(|s| s.blocks.last()), Some(crate::typeset::Block::Signature { issuer, date })
                if issuer == "区人民政府办公室" && date == "2023年2月16日"),
            "{:?}",
            doc.sections.last().and_then(|s| s.blocks.last())
        );
        // 原截止日期与新截止日期（2月16日 + 默认 5 天）；尚缺的序号不进状态格。
        assert!(
            md.contains("| 办理方案（附表1），报总牵头单位 区发改局 | 2月15日 | 部分报送（逾期1天） | 2月21日 |"),
            "{md}"
        );
        assert!(md.contains("\n办理方案（附表1）尚缺第1项。\n"), "{md}");
        assert!(
            md.contains("| 督办工作人员名单（附表2），报区人民政府办公室 | 2月15日 | 未报送（逾期1天） | 2月21日 |"),
            "{md}"
        );
        assert!(
            md.contains("联系人：王某，联系电话：027-12345678。"),
            "{md}"
        );
        assert!(md.contains("zfducha@163.com"));
        assert!(md.contains("根据《测试方案》"));
        // 督办编号在标题下右对齐；抬头仍识别为主送机关（顶格）。
        let blocks = &doc.sections[0].blocks;
        assert!(
            matches!(
                &blocks[1],
                crate::typeset::Block::Paragraph {
                    align: crate::typeset::Align::Right,
                    ..
                }
            ),
            "{:?}",
            blocks[1]
        );
        assert!(
            matches!(
                &blocks[2],
                crate::typeset::Block::Paragraph { indent: false, .. }
            ),
            "{:?}",
            blocks[2]
        );
        // 没有编号、联系人时不印这两处。
        let md = render(
            REMINDER_TEMPLATE,
            &reminder_view(&cat, "区商务局", &items, &s, &Config::default(), "", today),
        );
        assert!(!md.contains("督办编号") && !md.contains("联系人"), "{md}");
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
        let part = |id: &str, done: bool| crate::schedule::Part {
            task: None,
            id: id.into(),
            done,
            received: None,
        };
        let item = DueItem {
            kind: crate::schedule::DueKind::Plan,
            quarter: None,
            what: "办理方案（附表1）".into(),
            to: "总牵头单位 区发改局".into(),
            date: Date::parse("2023-02-15").unwrap(),
            submitted: Some(false),
            missing: vec!["6".into(), "20".into(), "三.1".into()],
            parts: vec![
                part("5", true),
                part("6", false),
                part("20", false),
                part("三.1", false),
            ],
        };
        assert_eq!(
            state(&item, Date::parse("2023-02-16").unwrap()),
            "部分报送（逾期1天），尚缺第6、20项、第三部分第1项"
        );
        assert_eq!(
            state(&item, Date::parse("2023-02-08").unwrap()),
            "部分报送（剩7天），尚缺第6、20项、第三部分第1项"
        );
    }
}

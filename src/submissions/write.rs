//! 把一份报送写成与手写相同格式的 TOML（`duban ingest` 整理报回件用）：
//! 同一个 [`super::parse_str`] 能原样读回，`build`、`check` 把它当作普通报送数据。

use super::{FormKind, Person, Submission};
use serde::Serialize;

#[derive(Serialize)]
struct OutFile<'a> {
    unit: &'a str,
    form: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    quarter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    received: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    leader: Option<&'a Person>,
    #[serde(skip_serializing_if = "Option::is_none")]
    office_head: Option<&'a Person>,
    #[serde(skip_serializing_if = "Option::is_none")]
    clerk: Option<&'a Person>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    task: Vec<OutTask<'a>>,
}

#[derive(Serialize)]
struct OutTask<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    row: Vec<OutRow<'a>>,
}

#[derive(Serialize)]
struct OutRow<'a> {
    content: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<i64>,
    leader: &'a str,
    department: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    lead: &'a str,
}

/// 表种在 TOML 里的写法。
fn form_name(f: FormKind) -> &'static str {
    match f {
        FormKind::Plan => "办理方案",
        FormKind::OverallPlan => "总体办理方案",
        FormKind::Contacts => "工作人员名单",
        FormKind::Quarterly => "完成情况",
    }
}

/// 一份报送 → TOML 文本，开头加 `header` 中的注释行（来源说明）。确定性：同输入同文本。
pub fn to_toml(sub: &Submission, header: &[String]) -> String {
    let out = OutFile {
        unit: &sub.unit,
        form: form_name(sub.form),
        quarter: sub.quarter.map(|q| q.to_string()),
        received: sub.received.map(|d| d.to_string()),
        leader: sub.leader.as_ref(),
        office_head: sub.office_head.as_ref(),
        clerk: sub.clerk.as_ref(),
        task: sub
            .plan
            .iter()
            .map(|t| OutTask {
                id: &t.id,
                status: None,
                row: t
                    .rows
                    .iter()
                    .map(|r| OutRow {
                        content: &r.content,
                        month: r.month,
                        leader: &r.leader,
                        department: &r.department,
                        lead: &r.lead,
                    })
                    .collect(),
            })
            .chain(sub.statuses.iter().map(|s| OutTask {
                id: &s.id,
                status: Some(&s.text),
                row: Vec::new(),
            }))
            .collect(),
    };
    let mut text: String = header.iter().map(|h| format!("# {h}\n")).collect();
    if !text.is_empty() {
        text.push('\n');
    }
    // 结构里只有字符串、整数和表：序列化不会失败。
    text.push_str(&toml::to_string(&out).unwrap_or_default());
    text
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{parse, PLAN};
    use super::*;

    /// 写出的 TOML 经同一解析器读回，内容不变（含换行、引号、反斜杠、月份、季度、收到日期）。
    #[test]
    fn written_toml_parses_back_to_the_same_data() {
        let tricky = "第一行\n第二行 \"引号\" \\反斜杠\\ 'x' =SUM(A1)";
        let text = format!("received = \"2023-02-14\"\n{PLAN}")
            .replace(
                "制定方案",
                &tricky
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('\n', "\\n"),
            )
            .replace("13", "12");
        let (a, d) = parse(&text);
        assert!(d.is_empty(), "{:?}", d.sorted());
        let a = a.unwrap();
        assert_eq!(a.plan[0].rows[0].content, tricky);
        let out = to_toml(&a, &["来源：测试".into()]);
        assert!(out.starts_with("# 来源：测试\n\n"), "{out}");
        let (b, d) = parse(&out);
        assert!(d.is_empty(), "{:?}\n{out}", d.sorted());
        let b = b.unwrap();
        assert_eq!(
            b.plan[0].rows,
            a.plan[0]
                .rows
                .iter()
                .zip(&b.plan[0].rows)
                .map(|(x, y)| super::super::PlanRow {
                    line: y.line,
                    ..x.clone()
                })
                .collect::<Vec<_>>()
        );
        assert_eq!((b.unit, b.form, b.received), (a.unit, a.form, a.received));

        let q = "unit = \"区发改局\"\nform = \"完成情况\"\nquarter = \"2023Q2\"\n[[task]]\nid = \"1\"\nstatus = \"已完成\\n过半\"\n";
        let (a, _) = parse(q);
        let a = a.unwrap();
        let (b, d) = parse(&to_toml(&a, &[]));
        assert!(d.is_empty(), "{:?}", d.sorted());
        let b = b.unwrap();
        assert_eq!(
            (b.quarter, &b.statuses[0].text),
            (a.quarter, &a.statuses[0].text)
        );

        let c = "unit = \"区商务局\"\nform = \"工作人员名单\"\n[leader]\nname = \"甲\"\nmobile = \"13800000000\"\n[office_head]\nname = \"乙\"\n[clerk]\nname = \"丙\"\n";
        let (a, _) = parse(c);
        let a = a.unwrap();
        let (b, d) = parse(&to_toml(&a, &[]));
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(b.unwrap().leader, a.leader);
    }
}

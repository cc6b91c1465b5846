//! 任务清单的视图：开头是报送期限，然后按角色分节（总牵头单位一节按任务组分小标题），
//! 最后是只经群体短语（如“各街道办事处”）列入、本单位与同类单位一起配合的任务，只列序号和摘要。
//!
//! 清单的写法（README“任务清单”）：
//! - 本单位总牵头、牵头、直接点名参与的任务，以及本单位要自己按季度报送的任务，印全文；
//! - 同一任务在几节都出现时，全文只在第一节印，后面写“正文见前”；
//! - 经群体短语列入、办理情况报牵头单位的任务，列在最后一节的表里（序号、摘要、牵头单位）。

use super::letters::{md_escape, nested_title, task_label, DeadlineView};
use crate::catalogue::{Catalogue, Task, UnitRef};
use crate::date::Date;
use crate::duties::{Assignment, Role, UnitDuties};
use crate::schedule::{DueItem, Schedule};
use serde::Serialize;

/// 任务清单中的一项任务。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskView {
    pub id: String,
    /// “第2项”；第三部分的条目写“第三部分第2项”。
    pub label: String,
    pub text: String,
    /// 其他相关单位，如“总牵头单位：区发改局；牵头单位：区商务局；责任单位：……”。
    pub units: String,
    /// 本清单前面的一节已印过全文（同一单位既是总牵头又是牵头/责任）：只列序号，“正文见前”。
    pub seen: bool,
    /// 仅“作为责任单位”一节：本项办理情况报给谁（有牵头单位的报牵头单位，没有的直接报区政府办公室）。
    pub report: String,
    /// 所属任务组的标题（不在组中的为所属章的标题；第三部分为空）。
    pub group: String,
}

/// 一节中属于同一任务组的任务（总牵头单位一节按组分小标题）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskGroupView {
    /// 如“（一）推动主导产业强链集群（6项）”。
    pub heading: String,
    pub title: String,
    pub tasks: Vec<TaskView>,
}

/// 任务清单中按角色的一节。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleSection {
    /// 如“二、作为总牵头单位（39项）”。
    pub heading: String,
    /// 该角色要做什么（摘自通知第一、二条）。
    pub intro: String,
    /// 本节全部任务（目录顺序）。
    pub tasks: Vec<TaskView>,
    /// 同样的任务按任务组分开（小标题“（一）组名（N项）”）；只有总牵头单位一节分组，
    /// 其他节是小标题为空的一组。
    pub groups: Vec<TaskGroupView>,
    /// 其中已在前面各节印过全文的项数。
    pub seen: usize,
}

/// 经群体短语列入的一项任务（只列序号、摘要和牵头单位）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BriefTask {
    /// 目录序号，如“12”“三.2”。
    pub id: String,
    pub label: String,
    /// 正文开头的一两个分句，如“抢抓车光产业跨界融合发展示范区创建契机……”。
    pub brief: String,
    /// 办理情况报给谁：牵头单位名称（无牵头单位的写“无”）。
    pub lead: String,
}

/// 经同一个群体短语列入的任务。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViaPhrase {
    /// 如“（一）经“各街道办事处”列入（95项）”。
    pub heading: String,
    pub phrase: String,
    pub tasks: Vec<BriefTask>,
}

/// 只经群体短语列入的任务一节。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViaSection {
    /// 如“五、经群体短语列入的任务（101项）”。
    pub heading: String,
    pub count: usize,
    pub phrases: Vec<ViaPhrase>,
}

/// 任务清单模板的视图。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskListView {
    pub unit: String,
    pub plan_title: String,
    /// 一句话概括本单位的任务，如“总牵头7个任务组（39项），牵头12项，参与20项”。
    pub summary: String,
    /// “一、报送期限”：期限表在清单开头。
    pub deadline_heading: String,
    pub deadlines: Vec<DeadlineView>,
    pub sections: Vec<RoleSection>,
    /// 只经群体短语列入的任务；没有时为 `None`。
    pub via: Option<ViaSection>,
    pub issuer: String,
    pub date: String,
    /// 区政府办公室与邮箱（期限表中只写机关名，邮箱在表后说明）。
    pub office: String,
    pub email: String,
}

const ORDINALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// 中文序数（1 → “一”）；超出十的写数字。
fn ordinal(n: usize) -> String {
    ORDINALS
        .get(n.wrapping_sub(1))
        .map(|s| s.to_string())
        .unwrap_or_else(|| n.to_string())
}

fn names(refs: &[UnitRef]) -> String {
    refs.iter()
        .map(|r| r.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn units_line(cat: &Catalogue, t: &Task, via: Option<&str>) -> String {
    let mut parts = Vec::new();
    let ol = cat.overall_leads(t);
    if !ol.is_empty() {
        parts.push(format!("总牵头单位：{}", names(ol)));
    }
    if !t.leads.is_empty() {
        parts.push(format!("牵头单位：{}", names(&t.leads)));
    }
    if !t.responsible.is_empty() {
        parts.push(format!("责任单位：{}", names(&t.responsible)));
    }
    if let Some(v) = via {
        parts.push(format!("本单位经“{v}”列入"));
    }
    md_escape(&parts.join("；"))
}

fn intro(role: Role) -> &'static str {
    match role {
        Role::OverallLead => "加强统筹协调，会同牵头单位抓好相关领域各项工作；综合各牵头单位办理方案，研究制定总体办理方案；按季度报送责任事项完成情况。",
        Role::Lead => "主动担当作为，统筹相关责任单位制定办理方案，明确工作目标、具体措施、完成时限、分管负责人及责任科室，及时协调解决工作中存在的困难和问题。",
        Role::Responsible => "积极协作配合，完成责任事项的办理工作；办理情况的报送对象列在每项之后。",
    }
}

/// 责任单位的一项任务办理情况报给谁。
fn report_to(t: &Task, office: &str) -> String {
    if t.leads.is_empty() {
        format!("本项无牵头单位，办理情况由本单位按季度直接报{office}（附表3）")
    } else {
        format!("办理情况报牵头单位{}", names(&t.leads))
    }
}

/// 任务所属组（或章）的标题。
fn group_title(cat: &Catalogue, t: &Task) -> String {
    cat.group_of(t)
        .map(|g| g.title.clone())
        .or_else(|| {
            cat.chapter_of(t)
                .filter(|c| c.part != "三")
                .map(|c| c.title.clone())
        })
        .unwrap_or_default()
}

/// 摘要最多几个字：摘要表的一行放得下。
const BRIEF_CHARS: usize = 16;

/// 摘要：正文开头的分句（不足 8 个字时连下一句），最多 [`BRIEF_CHARS`] 个字；分句太长时在其中
/// 最后一个顿号、“等”“和”、右引号之类的词边界处截断，不断在括号、引号里面；找不到词边界时
/// 截 14 个字加“……”。在句子、词边界处截的不加省略号（表头写明是摘要）。
pub fn brief(text: &str) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            c => c,
        })
        .collect();
    let ends = |c: char| matches!(c, '，' | '；' | '。' | '：');
    let mut end = 0;
    // 整句整句地取，直到够 8 个字或下一句放不下。
    while end < chars.len() {
        let next = chars[end..]
            .iter()
            .position(|&c| ends(c))
            .map_or(chars.len(), |p| end + p);
        if next > BRIEF_CHARS {
            break;
        }
        end = next;
        if end >= 8 {
            break;
        }
        end += 1;
    }
    let mut ellipsis = false;
    let mut out: Vec<char> = if end >= 8 {
        chars[..end].to_vec()
    } else {
        // 第一句就太长：在词边界处截断，没有就硬截加省略号。
        let limit = BRIEF_CHARS.min(chars.len());
        let word = (8..=limit).rev().find(|&k| {
            matches!(
                chars[k - 1],
                '、' | '等' | '和' | '与' | '及' | '”' | '》' | '）'
            )
        });
        let cut = word.unwrap_or(limit);
        if word.is_none() && cut < chars.len() {
            ellipsis = true;
            chars[..BRIEF_CHARS - 2].to_vec()
        } else {
            chars[..cut].to_vec()
        }
    };
    // 截断处在括号、引号、书名号里：退到开括号之前（前面还剩几个字时）。
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in out.iter().enumerate() {
        match c {
            '（' | '(' | '“' | '《' => open.push(i),
            '）' | ')' | '”' | '》' => {
                open.pop();
            }
            _ => {}
        }
    }
    if let Some(&k) = open.first() {
        if k >= 4 {
            out.truncate(k);
        }
    }
    while out
        .last()
        .is_some_and(|c| matches!(c, '，' | '；' | '：' | '。' | '、'))
    {
        out.pop();
    }
    let mut out: String = out.into_iter().collect();
    if ellipsis {
        out.push_str("……");
    }
    out
}

/// 是否只列摘要：经群体短语点到的责任单位，且办理情况报牵头单位（不由本单位自己按季度报）。
fn is_brief(d: &UnitDuties, a: &Assignment) -> bool {
    a.role == Role::Responsible && a.via.is_some() && !d.quarterly.contains(&a.task)
}

/// 构建任务清单视图（见模块说明）。
pub fn tasklist_view(
    cat: &Catalogue,
    d: &UnitDuties,
    items: &[DueItem],
    schedule: &Schedule,
    issuer: &str,
    today: Date,
) -> TaskListView {
    let mut sections = Vec::new();
    let mut printed = vec![false; cat.tasks.len()];
    for role in [Role::OverallLead, Role::Lead, Role::Responsible] {
        let tasks: Vec<TaskView> = d
            .assignments
            .iter()
            .filter(|a| a.role == role && !is_brief(d, a))
            .map(|a| {
                let t = &cat.tasks[a.task];
                TaskView {
                    id: md_escape(&t.id),
                    label: md_escape(&task_label(&t.id)),
                    text: md_escape(&t.text),
                    units: units_line(cat, t, a.via.as_deref()),
                    seen: std::mem::replace(&mut printed[a.task], true),
                    report: if role == Role::Responsible {
                        md_escape(&report_to(t, &schedule.office))
                    } else {
                        String::new()
                    },
                    group: md_escape(&group_title(cat, t)),
                }
            })
            .collect();
        if tasks.is_empty() {
            continue;
        }
        let groups = if role == Role::OverallLead {
            group_views(&tasks)
        } else {
            vec![TaskGroupView {
                heading: String::new(),
                title: String::new(),
                tasks: tasks.clone(),
            }]
        };
        sections.push(RoleSection {
            heading: format!(
                "{}、作为{}（{}项）",
                ordinal(sections.len() + 2),
                role.label(),
                tasks.len()
            ),
            intro: intro(role).into(),
            seen: tasks.iter().filter(|t| t.seen).count(),
            groups,
            tasks,
        });
    }
    let via = via_section(cat, d, sections.len() + 2);
    TaskListView {
        unit: md_escape(&d.unit),
        plan_title: md_escape(&nested_title(&cat.title)),
        summary: summary(&sections, via.as_ref()),
        deadline_heading: "一、报送期限".into(),
        deadlines: items
            .iter()
            .map(|i| super::letters::deadline_view(i, today))
            .collect(),
        sections,
        via,
        issuer: md_escape(issuer),
        date: today.chinese(),
        office: md_escape(&schedule.office),
        email: md_escape(&schedule.office_email),
    }
}

/// 总牵头单位一节按任务组分开（目录顺序，相邻同组的归一组）。
fn group_views(tasks: &[TaskView]) -> Vec<TaskGroupView> {
    let mut groups: Vec<TaskGroupView> = Vec::new();
    for t in tasks {
        match groups.last_mut() {
            Some(g) if g.title == t.group => g.tasks.push(t.clone()),
            _ => groups.push(TaskGroupView {
                heading: String::new(),
                title: t.group.clone(),
                tasks: vec![t.clone()],
            }),
        }
    }
    for (i, g) in groups.iter_mut().enumerate() {
        let title = if g.title.is_empty() {
            "其他任务".to_string()
        } else {
            g.title.clone()
        };
        g.heading = format!("（{}）{}（{}项）", ordinal(i + 1), title, g.tasks.len());
    }
    groups
}

/// 只经群体短语列入的任务，按短语分开（短语按首次出现的先后）。
fn via_section(cat: &Catalogue, d: &UnitDuties, number: usize) -> Option<ViaSection> {
    let mut phrases: Vec<ViaPhrase> = Vec::new();
    for a in d.assignments.iter().filter(|a| is_brief(d, a)) {
        let t = &cat.tasks[a.task];
        let phrase = a.via.clone().unwrap_or_default();
        let task = BriefTask {
            id: md_escape(&t.id),
            label: md_escape(&task_label(&t.id)),
            brief: md_escape(&brief(&t.text)),
            lead: if t.leads.is_empty() {
                "无".into()
            } else {
                md_escape(&names(&t.leads))
            },
        };
        match phrases.iter_mut().find(|p| p.phrase == phrase) {
            Some(p) => p.tasks.push(task),
            None => phrases.push(ViaPhrase {
                heading: String::new(),
                phrase,
                tasks: vec![task],
            }),
        }
    }
    if phrases.is_empty() {
        return None;
    }
    for (i, p) in phrases.iter_mut().enumerate() {
        p.heading = format!(
            "（{}）经“{}”列入（{}项）",
            ordinal(i + 1),
            md_escape(&p.phrase),
            p.tasks.len()
        );
        p.phrase = md_escape(&p.phrase);
    }
    let count = phrases.iter().map(|p| p.tasks.len()).sum();
    Some(ViaSection {
        heading: format!("{}、经群体短语列入的任务（{count}项）", ordinal(number)),
        count,
        phrases,
    })
}

/// 一句话概括：总牵头几个组几项、牵头几项、参与几项（其中经短语列入几项）。
fn summary(sections: &[RoleSection], via: Option<&ViaSection>) -> String {
    let mut parts = Vec::new();
    for s in sections {
        let n = s.tasks.len();
        if s.heading.contains("总牵头单位") {
            parts.push(format!("总牵头{}个任务组（{n}项）", s.groups.len()));
        } else if s.heading.contains("作为牵头单位") {
            parts.push(format!("牵头{n}项"));
        } else {
            parts.push(format!("作为责任单位参与{n}项"));
        }
    }
    if let Some(v) = via {
        parts.push(format!("经群体短语列入{}项", v.count));
    }
    parts.join("，")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::{assign, tests::sample, Duties};
    use crate::forms::letters::{tests::render, TASKLIST_TEMPLATE};
    use crate::schedule::due_items;
    use crate::submissions::Submissions;
    use crate::typeset::{markdown_to_document, Block, Meta};

    /// 样例目录中某单位的任务清单 Markdown（无报送，默认期限，2023-02-08）。
    fn sample_tasklist(cat: &Catalogue, d: &Duties, unit: &str) -> String {
        let s = Schedule::from_config(&Default::default()).unwrap();
        let today = Date::parse("2023-02-08").unwrap();
        let u = d.get(unit).unwrap();
        let items = due_items(cat, u, &Submissions::default(), &s);
        let v = tasklist_view(cat, u, &items, &s, "区人民政府办公室", today);
        render(TASKLIST_TEMPLATE, &v)
    }

    #[test]
    fn deadlines_first_then_roles_with_group_headings() {
        let (cat, reg) = sample();
        let (d, _) = assign(&cat, &reg);
        let md = sample_tasklist(&cat, &d, "区发改局");
        assert!(md.starts_with("# 区发改局任务清单"), "{md}");
        assert!(
            md.contains("承担以下任务：总牵头2个任务组（3项），牵头1项。"),
            "{md}"
        );
        let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("缺“{s}”：{md}"));
        assert!(at("## 一、报送期限") < at("## 二、作为总牵头单位（3项）"));
        assert!(at("## 二、作为总牵头单位（3项）") < at("### （一）甲组（2项）"));
        assert!(at("### （一）甲组（2项）") < at("### （二）乙组（1项）"));
        assert!(at("### （二）乙组（1项）") < at("## 三、作为牵头单位（1项）"));
        assert!(md.contains("\n**第1项**　任务1的正文。（总牵头单位：区发改局；牵头单位：区发改局；责任单位：区商务局）\n"), "{md}");
        // 第 1 项在“作为牵头单位”一节再次出现：只列序号和单位，正文不重复；不再有“1. 第1项”式的重号。
        assert_eq!(md.matches("任务1的正文").count(), 1, "{md}");
        assert!(md.contains("**第1项**，正文见前（总牵头单位：区发改局；牵头单位：区发改局；责任单位：区商务局）"), "{md}");
        assert!(!md.contains("1. **第"), "{md}");
        assert!(md.contains("其中 1 项已在前面列出全文"), "{md}");
        assert!(
            md.contains("| 总体办理方案（其中“乙组”组与区住建局共同制定、联合报送） | 区人民政府办公室 | 2023年2月23日 |"),
            "{md}"
        );
        assert!(md.contains("电子版发送至邮箱 zfducha@163.com"), "{md}");
        assert!(md.contains("根据《测试方案》"), "{md}");
        assert!(md.trim_end().ends_with("2023年2月8日"));
        // 落款前有一段正文（落款不单独成页的前提）。
        let doc = markdown_to_document(&md, Meta::default());
        let blocks = &doc.sections.last().unwrap().blocks;
        assert!(matches!(blocks.last(), Some(Block::Signature { .. })));
        assert!(matches!(blocks[blocks.len() - 2], Block::Paragraph { .. }));
    }

    #[test]
    fn group_phrase_tasks_are_listed_compactly() {
        let (cat, reg) = sample();
        let (d, _) = assign(&cat, &reg);
        let md = sample_tasklist(&cat, &d, "纸坊街道办事处");
        // 第三部分第1项无牵头单位、由本单位自己按季度报：印全文；第2、4项经短语列入、报牵头单位：只列摘要。
        assert!(md.contains("## 二、作为责任单位（1项）"), "{md}");
        assert!(md.contains("任务三.1的正文。（责任单位：各街道办事处；本单位经“各街道办事处”列入）本项无牵头单位，办理情况由本单位按季度直接报区人民政府办公室（附表3）。"), "{md}");
        assert!(md.contains("## 三、经群体短语列入的任务（2项）"), "{md}");
        assert!(md.contains("### （一）经“各街道办事处”列入（2项）"), "{md}");
        assert!(md.contains("| 2 | 任务2的正文 | 区商务局 |"), "{md}");
        assert!(md.contains("| 4 | 任务4的正文 | 区民政局 |"), "{md}");
        assert!(
            !md.contains("任务2的正文。（"),
            "经短语列入的任务不印全文：{md}"
        );
        assert!(md.contains("2023年第二季度完成情况（附表3）"), "{md}");
        assert!(
            md.contains("作为责任单位参与1项，经群体短语列入2项。"),
            "{md}"
        );
    }

    #[test]
    fn responsible_section_says_where_each_report_goes() {
        let (cat, reg) = sample();
        let (d, _) = assign(&cat, &reg);
        let md = sample_tasklist(&cat, &d, "区财政局");
        assert!(md.contains("任务2的正文。（总牵头单位：区发改局；牵头单位：区商务局；责任单位：区财政局、各街道办事处）办理情况报牵头单位区商务局。"), "{md}");
        assert!(!md.contains("经群体短语列入"), "{md}");
    }

    #[test]
    fn brief_takes_leading_clauses() {
        for (text, want) in [
            (
                "抢抓车光产业跨界融合发展示范区创建契机,着力延链补链强链。",
                "抢抓车光产业跨界融合发展示范……",
            ),
            (
                "大力引进“三电”等关键零部件项目,做大“零整比”。",
                "大力引进“三电”等关键零部件项目",
            ),
            ("打造武汉“康谷”,加快实施项目,推动发展。", "打造武汉“康谷”"),
            ("坚持实字当头,狠抓落实。", "坚持实字当头，狠抓落实"),
            (
                "推动扫黑除恶斗争常态化制度化。",
                "推动扫黑除恶斗争常态化制度化",
            ),
            (
                "依托三全食品、中百中央厨房、祖名食品等骨干企业,发展预制菜。",
                "依托三全食品、中百中央厨房",
            ),
            (
                "提速区第二人民医院（山坡南部医疗中心）建设。",
                "提速区第二人民医院……",
            ),
        ] {
            assert_eq!(brief(text), want, "{text}");
        }
    }
}

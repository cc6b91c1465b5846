//! 认表：哪张工作表、表头在哪一行、每列是什么（按表头文字，不按位置），以及报送单位、表种、季度。
//!
//! 先看 duban 写进文件的隐藏键（文档自定义属性 `duban.*`），再与表上看得见的标题、单位行、
//! 表头核对：两者不一致的不猜，报出来。没有隐藏键的（单位照样子自己做的表）按看得见的认。

use super::workbook::{Book, SheetData};
use super::{Problem, Rejection};
use crate::date::Quarter;
use crate::forms::READABLE_VERSIONS;
use crate::project::Project;
use crate::submissions::month::to_halfwidth;
use crate::submissions::FormKind;
use std::collections::BTreeMap;

/// 列的含义。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Col {
    Id,
    Text,
    Lead,
    Content,
    Month,
    Leader,
    Department,
    Status,
    Role,
    Name,
    Title,
    OfficePhone,
    Mobile,
    Key,
}

impl Col {
    /// 由单位填写的列。
    pub fn is_input(self) -> bool {
        !matches!(self, Col::Id | Col::Text | Col::Lead | Col::Role | Col::Key)
    }
}

/// 去掉空白、全角转半角后的文字（比较表头、序号、隐藏键用）。
pub fn squash(s: &str) -> String {
    to_halfwidth(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// 表头文字 → 列的含义。
pub fn col_of(header: &str) -> Option<Col> {
    let h = squash(header);
    let has = |w: &[&str]| w.iter().any(|x| h.contains(x));
    Some(match () {
        _ if h == "隐藏键" => Col::Key,
        _ if has(&["序号", "编号"]) => Col::Id,
        _ if has(&["责任事项"]) => Col::Text,
        _ if has(&["牵头单位"]) => Col::Lead,
        _ if has(&["工作内容", "工作措施"]) => Col::Content,
        _ if has(&["完成时间", "完成时限"]) => Col::Month,
        _ if has(&["分管领导", "分管负责人"]) => Col::Leader,
        _ if has(&["责任部门", "责任科室", "责任处室", "责任股室"]) => {
            Col::Department
        }
        _ if has(&["完成情况"]) => Col::Status,
        _ if h == "责任人" => Col::Role,
        _ if h == "姓名" => Col::Name,
        _ if h == "职务" => Col::Title,
        _ if has(&["办公电话"]) => Col::OfficePhone,
        _ if has(&["手机"]) => Col::Mobile,
        _ => return None,
    })
}

/// 一张表的版式：表种、表头行、各列所在的列号。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub form: FormKind,
    pub header_row: u32,
    pub cols: BTreeMap<Col, u32>,
}

/// 在前 40 行里找表头行，由出现的列定表种。
pub fn find_layout(sheet: &SheetData) -> Option<Layout> {
    for row in 0..=sheet.last_row()?.min(40) {
        let mut cols = BTreeMap::new();
        for (&(_, c), cell) in sheet.cells.range((row, 0)..(row + 1, 0)) {
            if let Some(col) = col_of(&cell.value.text()) {
                cols.entry(col).or_insert(c);
            }
        }
        let has = |w: &[Col]| w.iter().all(|c| cols.contains_key(c));
        let form = if has(&[Col::Id, Col::Text, Col::Content, Col::Month]) {
            if cols.contains_key(&Col::Lead) {
                FormKind::OverallPlan
            } else {
                FormKind::Plan
            }
        } else if has(&[Col::Id, Col::Text, Col::Status]) {
            FormKind::Quarterly
        } else if has(&[Col::Role, Col::Name]) {
            FormKind::Contacts
        } else {
            continue;
        };
        return Some(Layout {
            form,
            header_row: row,
            cols,
        });
    }
    None
}

/// 认出的表。
#[derive(Debug, Clone)]
pub struct Identified {
    /// 在 `Book::sheets` 中的下标。
    pub sheet: usize,
    pub layout: Layout,
    /// 规范单位名。
    pub unit: String,
    pub form: FormKind,
    pub quarter: Option<Quarter>,
    /// 模板版本（没有隐藏键时为空）。
    pub version: String,
    /// 隐藏键中的任务序号（表是按哪些任务生成的）。
    pub task_ids: Option<Vec<String>>,
}

/// 表种隐藏键的写法 → 表种（“责任分解总表”等不是报送表）。
fn form_of_key(s: &str) -> Option<FormKind> {
    FormKind::parse(s)
}

/// 表头上方的标题与单位行：（单位, 标题中的季度序数 1–4）。
fn visible_unit_and_quarter(sheet: &SheetData, header_row: u32) -> (Option<String>, Option<u8>) {
    let mut unit = None;
    let mut quarter = None;
    for (_, cell) in sheet.cells.range((0, 0)..(header_row, 0)) {
        let t = cell.value.text();
        let s = squash(&t);
        if let Some(rest) = s.strip_prefix("单位:") {
            let end = rest.find("主要负责").unwrap_or(rest.len());
            unit = Some(rest[..end].to_string());
        } else if let Some(i) = s.find("《政府工作报告》") {
            // 附表1 的标题是“××区《政府工作报告》办理方案”，附表2 的是“××《政府工作报告》督办工作人员名单”。
            let prefix = match s.contains("工作人员名单") {
                true => &s[..i],
                false => s[..i].strip_suffix('区').unwrap_or(&s[..i]),
            };
            unit.get_or_insert(prefix.to_string());
        } else if let Some((u, n)) = title_quarter(&s) {
            quarter = Some(n);
            unit.get_or_insert(u);
        }
    }
    (unit.filter(|u| !u.is_empty()), quarter)
}

/// “区发改局第二季度工作目标完成情况”→（“区发改局”, 2）。
fn title_quarter(s: &str) -> Option<(String, u8)> {
    for (i, _) in s.match_indices("季度") {
        let before = &s[..i];
        for (n, digit) in ["一", "二", "三", "四"].iter().enumerate() {
            if let Some(unit) = before
                .strip_suffix(digit)
                .and_then(|b| b.strip_suffix('第'))
            {
                return Some((unit.to_string(), n as u8 + 1));
            }
        }
    }
    None
}

/// 隐藏键中的任务序号（可能分段存放）。
fn task_ids(props: &BTreeMap<String, String>) -> Option<Vec<String>> {
    let joined = match props.get("duban.task_ids.parts") {
        Some(n) => {
            let n: usize = n.trim().parse().ok()?;
            (1..=n.min(1000))
                .map(|i| props.get(&format!("duban.task_ids.{i}")).cloned())
                .collect::<Option<String>>()?
        }
        None => props.get("duban.task_ids")?.clone(),
    };
    Some(
        joined
            .split(',')
            .map(squash)
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// 选出报送表所在的工作表（改名、调序都不要紧）：只有一张像报送表的才认。
fn pick_sheet(book: &Book) -> Result<(usize, Layout), Rejection> {
    let found: Vec<(usize, Layout)> = book
        .sheets
        .iter()
        .enumerate()
        .filter_map(|(i, s)| find_layout(s).map(|l| (i, l)))
        .collect();
    match found.len() {
        0 => Err(Rejection::new(
            "找不到报送表的表头（序号、责任事项、具体工作内容、完成情况或姓名等列）",
            "应导入下发的附表1–3；如果单位改动了表头，请用下发的表重新填报",
        )),
        1 => Ok(found.into_iter().next().unwrap()),
        _ => {
            let names: Vec<String> = found
                .iter()
                .map(|(i, _)| format!("“{}”", book.sheets[*i].name))
                .collect();
            Err(Rejection::new(
                format!(
                    "工作簿中有 {} 张工作表都像报送表（{}），无法确定用哪一张",
                    found.len(),
                    names.join("、")
                ),
                "请单位删去多余的工作表，只留填好的一张后重新报送",
            ))
        }
    }
}

/// 认表：单位、表种、季度、版本。认不出或隐藏键与表面不一致时拒收（`Err`）；
/// 季度不一致这类单位能改的问题记入 `problems`。
pub fn identify(
    book: &Book,
    project: &Project,
    problems: &mut Vec<Problem>,
) -> Result<Identified, Rejection> {
    let (sheet_ix, layout) = pick_sheet(book)?;
    let sheet = &book.sheets[sheet_ix];
    let props = &book.props;
    let key = |k: &str| {
        props
            .get(&format!("duban.{k}"))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let (seen_unit, seen_quarter) = visible_unit_and_quarter(sheet, layout.header_row);
    let unit = resolve_unit(project, key("unit"), seen_unit)?;
    let form = match key("form") {
        Some(f) => match form_of_key(&f) {
            Some(k) if k == layout.form => k,
            Some(k) => {
                return Err(Rejection::new(
                    format!(
                        "隐藏键说这是{}，表头却是{}的列",
                        crate::submissions::received::form_label(k),
                        crate::submissions::received::form_label(layout.form)
                    ),
                    "表格被改过版式；请单位用下发的表重新填报",
                ))
            }
            None => {
                return Err(Rejection::new(
                    format!("这是“{f}”，不是要报送的附表1–3"),
                    "只导入单位填报的附表1（办理方案、总体办理方案）、附表2、附表3",
                ))
            }
        },
        None => layout.form,
    };
    let quarter = if form == FormKind::Quarterly {
        Some(resolve_quarter(
            project,
            key("quarter"),
            seen_quarter,
            &sheet.name,
            problems,
        )?)
    } else {
        None
    };
    let version = key("template_version").unwrap_or_default();
    if version.is_empty() {
        problems.push(Problem::warning(
            &sheet.name,
            None,
            "文件中没有 duban 写入的隐藏键（可能是单位自己照样子做的表）：按表中看得见的序号、责任事项逐行认",
            "能认出的照常接收；认不准的会逐项报告",
        ));
    } else if !READABLE_VERSIONS.contains(&version.as_str()) {
        problems.push(Problem::warning(
            &sheet.name,
            None,
            format!("模板版本“{version}”不认识，按当前版式读取"),
            "可能是更新版本的 duban 生成的表；如读出的内容不对，请用本机 duban 生成的表重新下发",
        ));
    }
    Ok(Identified {
        sheet: sheet_ix,
        layout,
        unit,
        form,
        quarter,
        version,
        task_ids: task_ids(props),
    })
}

/// 报送单位：隐藏键与表上的单位行/标题一致才认；只有一边时用那一边。
fn resolve_unit(
    project: &Project,
    keyed: Option<String>,
    seen: Option<String>,
) -> Result<String, Rejection> {
    let reg = &project.registry;
    let canon = |s: &str| reg.unit(s).map(|u| u.name.clone());
    match (keyed, seen) {
        (None, None) => Err(Rejection::new(
            "无法确定报送单位：没有隐藏键，表上也没有“单位：……”或标题",
            "请单位用下发的表重新填报",
        )),
        (Some(k), seen) => {
            let Some(unit) = canon(&k) else {
                return Err(Rejection::new(
                    format!("隐藏键中的单位“{k}”不在单位登记册中"),
                    "在 content/units.toml 中登记该单位（或别名）后重新导入",
                ));
            };
            match seen {
                Some(s) if canon(&s).as_deref() != Some(unit.as_str()) && squash(&s) != squash(&unit) => {
                    Err(Rejection::new(
                        format!("隐藏键说这是{unit}的表，表上写的单位却是“{s}”：可能是拿别的单位的表改的"),
                        "与报送单位核实后，请其用本单位下发的表重新填报",
                    ))
                }
                _ => Ok(unit),
            }
        }
        (None, Some(s)) => canon(&s).ok_or_else(|| {
            Rejection::new(
                format!("表上写的单位“{s}”不在单位登记册中"),
                "核对单位名称；新单位或新简称在 content/units.toml 中登记后重新导入",
            )
        }),
    }
}

/// 季度：隐藏键与标题“第N季度”一致才认；不一致报错（退回），没有隐藏键时按标题和年度。
fn resolve_quarter(
    project: &Project,
    keyed: Option<String>,
    seen: Option<u8>,
    sheet: &str,
    problems: &mut Vec<Problem>,
) -> Result<Quarter, Rejection> {
    match (keyed.and_then(|k| Quarter::parse(&k).ok()), seen) {
        (Some(q), Some(n)) if n != q.q => {
            problems.push(Problem::error(
                sheet,
                None,
                format!(
                    "标题写的是第{}季度，而这份表是{}下发的",
                    ["一", "二", "三", "四"][usize::from(n - 1)],
                    q.chinese()
                ),
                "请用本季度下发的表填报，不要改标题或拿上季度的表改",
            ));
            Ok(q)
        }
        (Some(q), _) => Ok(q),
        (None, Some(n)) => {
            let q = Quarter {
                year: project.config.project.year,
                q: n,
            };
            problems.push(Problem::warning(
                sheet,
                None,
                format!("没有季度隐藏键，按标题“第N季度”和年度认作{}", q.chinese()),
                "如不对，请单位用下发的表重新填报",
            ));
            Ok(q)
        }
        (None, None) => Err(Rejection::new(
            "无法确定是哪个季度的完成情况：没有隐藏键，标题中也没有“第N季度”",
            "请单位用下发的表重新填报",
        )),
    }
}

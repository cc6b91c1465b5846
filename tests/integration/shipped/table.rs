//! 读回生成的 XLSX：表头、数据行与隐藏键、文档自定义属性。

use super::*;
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use std::io::Read;

/// 读回的表：表头、数据行（带隐藏键）、文档自定义属性。
pub(super) struct Table {
    pub(super) header: Vec<String>,
    /// 每行各列文字（不含隐藏键列）与该行隐藏键。
    pub(super) rows: Vec<(Vec<String>, String)>,
    pub(super) props: BTreeMap<String, String>,
    pub(super) title: String,
}

pub(super) fn cell(r: &Range<Data>, row: u32, col: u32) -> String {
    r.get_value((row, col))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

pub(super) fn custom_props(path: &Path) -> BTreeMap<String, String> {
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
pub(super) fn prop(props: &BTreeMap<String, String>, name: &str) -> Option<String> {
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

pub(super) fn read_table(path: &Path) -> Table {
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
    pub(super) fn numbers(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|(c, _)| c[0].clone())
            .filter(|c| !c.is_empty())
            .collect()
    }
    /// 每行所在任务块的序号（向下延续合并格的值）。
    pub(super) fn block_ids(&self) -> Vec<String> {
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
    pub(super) fn check_props(&self, path: &Path, unit: &str, form: &str, quarter: &str) {
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

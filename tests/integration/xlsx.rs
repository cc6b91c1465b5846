//! XLSX 输出：单元格、合并、隐藏键、保护、打印设置、数据验证、确定性。
//! 夹具项目跑完整流水线的 XLSX 部分（规划 → 渲染 → 写文件），再用 calamine 和 zip 读回。

use crate::support;
use calamine::{open_workbook, Data, Reader, Xlsx};
use duban::date::{Date, Quarter};
use duban::output::write_all;
use duban::plan::{plan, PlanOptions};
use duban::render::{render_all, Rendered};
use std::io::Read;
use std::path::Path;

/// 夹具项目只生成 XLSX（PDF 由 build.rs 的测试覆盖），`threads` 个线程。
pub fn build_xlsx(threads: usize, only: &[String]) -> Rendered {
    let project = support::project();
    let opts = PlanOptions {
        today: Date::parse("2023-02-08").unwrap(),
        quarter: Quarter::parse("2023Q2").unwrap(),
        only: only.to_vec(),
        reminders: false,
    };
    let p = plan(&project, &opts);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| render_all(&project, &p, None, &|| {}).unwrap())
}

fn built(name: &str) -> std::path::PathBuf {
    let dir = support::temp_dir(&format!("xlsx-{name}"));
    write_all(&dir.join("out"), &build_xlsx(2, &[]), &Default::default()).unwrap();
    dir.join("out")
}

fn cell(r: &calamine::Range<Data>, row: u32, col: u32) -> String {
    r.get_value((row, col))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

fn zip_part(path: &Path, part: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn plan_form_cells_merges_and_keys() {
    let out = built("plan");
    let path = out.join("区商务局/02-附表1-办理方案.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let r = wb.worksheet_range("附表1").unwrap();
    assert_eq!(cell(&r, 0, 0), "附表1");
    assert_eq!(cell(&r, 1, 0), "区商务局区《政府工作报告》办理方案");
    assert!(cell(&r, 2, 0).starts_with("单位：区商务局"));
    assert!(cell(&r, 2, 0).ends_with("主要负责人（签字）："));
    let header: Vec<String> = (0..6).map(|c| cell(&r, 3, c)).collect();
    assert_eq!(
        header,
        [
            "序号",
            "责任事项",
            "具体工作内容",
            "完成时间（按月）",
            "分管领导",
            "责任部门"
        ]
    );
    // 区商务局只牵头第 2 项：已报送的两行原样填入，补足到 4 行。
    assert_eq!(cell(&r, 4, 0), "2");
    assert_eq!(
        cell(&r, 4, 1),
        "大力引进“三电”等关键零部件项目,做大“零整比”。"
    );
    assert_eq!(cell(&r, 4, 2), "1.梳理关键零部件项目清单");
    assert_eq!(cell(&r, 4, 3), "3月");
    assert_eq!(cell(&r, 4, 4), "分管副局长");
    assert_eq!(cell(&r, 4, 5), "投资促进科");
    assert_eq!(cell(&r, 5, 2), "2.完成年度招引目标的一半");
    assert_eq!(cell(&r, 5, 3), "6月");
    assert_eq!(cell(&r, 6, 2), "3.");
    assert_eq!(cell(&r, 7, 2), "4.");
    assert_eq!(cell(&r, 8, 0), "", "只有一项任务");
    // 隐藏键列。
    assert_eq!(cell(&r, 3, 6), "隐藏键");
    assert_eq!(cell(&r, 4, 6), "task=2;row=1");
    assert_eq!(cell(&r, 7, 6), "task=2;row=4");
    // 合并：标题、单位行、序号与责任事项跨 4 行。
    let merges = wb.merge_cells_by_sheet_name("附表1").unwrap();
    let m: Vec<((u32, u32), (u32, u32))> = merges.iter().map(|d| (d.start, d.end)).collect();
    for want in [
        ((1, 0), (1, 5)),
        ((2, 0), (2, 5)),
        ((4, 0), (7, 0)),
        ((4, 1), (7, 1)),
    ] {
        assert!(m.contains(&want), "缺少合并 {want:?}：{m:?}");
    }
}

#[test]
fn protection_print_setup_validation_and_properties() {
    let out = built("protection");
    let path = out.join("区商务局/02-附表1-办理方案.xlsx");
    let sheet = zip_part(&path, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<sheetProtection"), "工作表受保护");
    assert!(!sheet.contains("password="), "默认无密码");
    assert!(sheet.contains(r#"paperSize="9""#), "A4");
    assert!(sheet.contains(r#"orientation="landscape""#), "附表1 横向");
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{sheet}");
    assert!(sheet.contains(r#"fitToHeight="0""#), "一页宽、高度不限");
    assert!(sheet.contains("<oddFooter>&amp;C第&amp;P页 共&amp;N页</oddFooter>"));
    assert!(sheet.contains(r#"hidden="1""#), "隐藏键列");
    assert!(sheet.contains(r#"<dataValidation type="list""#));
    assert!(
        sheet.contains("sqref=\"D5:D8\""),
        "月份下拉覆盖完成时间列的数据行"
    );
    assert!(sheet.contains("\"1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月\""));
    let wbx = zip_part(&path, "xl/workbook.xml");
    assert!(
        wbx.contains("_xlnm.Print_Titles") && wbx.contains("$4:$4"),
        "表头行每页重复：{wbx}"
    );
    let styles = zip_part(&path, "xl/styles.xml");
    assert!(styles.contains("仿宋"));
    assert!(
        styles.contains(r#"<protection locked="0"/>"#),
        "填报格不锁定"
    );
    let custom = zip_part(&path, "docProps/custom.xml");
    for want in [
        "duban.unit",
        "<vt:lpwstr>区商务局</vt:lpwstr>",
        "duban.form",
        "<vt:lpwstr>附表1</vt:lpwstr>",
        "duban.task_ids",
        "<vt:lpwstr>2</vt:lpwstr>",
        "duban.template_version",
        duban::forms::TEMPLATE_VERSION,
    ] {
        assert!(custom.contains(want), "自定义属性缺 {want}：{custom}");
    }
    let core = zip_part(&path, "docProps/core.xml");
    assert!(
        core.contains("2023-02-08T00:00:00Z"),
        "创建时间取生成日期：{core}"
    );
}

#[test]
fn locked_and_unlocked_cells() {
    // 序号、责任事项用锁定样式，具体工作内容用不锁定样式：比较两格的 s= 样式号对应的 xf。
    let out = built("locked");
    let path = out.join("区商务局/02-附表1-办理方案.xlsx");
    let sheet = zip_part(&path, "xl/worksheets/sheet1.xml");
    let style_of = |r: &str| -> usize {
        let at = sheet
            .find(&format!(r#"<c r="{r}""#))
            .unwrap_or_else(|| panic!("无 {r}"));
        let tail = &sheet[at..];
        let s = tail.find(" s=\"").unwrap();
        tail[s + 4..].split('"').next().unwrap().parse().unwrap()
    };
    let styles = zip_part(&path, "xl/styles.xml");
    let cell_xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let xfs: Vec<&str> = cell_xfs.split("<xf ").skip(1).collect();
    let unlocked = |i: usize| xfs[i].contains(r#"locked="0""#);
    assert!(!unlocked(style_of("A5")), "序号锁定");
    assert!(!unlocked(style_of("B5")), "责任事项锁定");
    assert!(unlocked(style_of("C5")), "具体工作内容可填");
    assert!(unlocked(style_of("D6")), "完成时间可填");
}

#[test]
fn overall_plan_quarterly_contacts_and_master() {
    let out = built("overall");
    // 总牵头单位：总体办理方案含两个组的 4 项任务，区商务局报送的行已填入。
    let mut wb: Xlsx<_> = open_workbook(out.join("区发改局/03-附表1-总体办理方案.xlsx")).unwrap();
    let r = wb.worksheet_range("总体办理方案").unwrap();
    assert_eq!(cell(&r, 3, 2), "牵头单位");
    let col0: Vec<String> = (4..20)
        .map(|i| cell(&r, i, 0))
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(col0, ["1", "2", "3", "4"]);
    assert_eq!(cell(&r, 8, 2), "区商务局");
    assert_eq!(cell(&r, 8, 3), "1.梳理关键零部件项目清单");
    assert_eq!(cell(&r, 8, 7), "task=2;lead=区商务局;row=1");
    let custom = zip_part(
        &out.join("区发改局/03-附表1-总体办理方案.xlsx"),
        "docProps/custom.xml",
    );
    assert!(
        custom.contains("<vt:lpwstr>1,2,3,4</vt:lpwstr>"),
        "{custom}"
    );

    // 附表3：总牵头单位按目录顺序报 1–4 项，已报的第 3 项填入，备注在表下。
    let p = out.join("区发改局/05-附表3-2023年第二季度完成情况.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&p).unwrap();
    let r = wb.worksheet_range("附表3").unwrap();
    assert_eq!(cell(&r, 1, 0), "区发改局第二季度工作目标完成情况");
    assert!(cell(&r, 2, 0).ends_with("主要负责（签字）："));
    let ids: Vec<String> = (4..8).map(|i| cell(&r, i, 0)).collect();
    assert_eq!(ids, ["1", "2", "3", "4"]);
    assert_eq!(cell(&r, 6, 2), "规划衔接方案已报审（示例）");
    assert_eq!(cell(&r, 5, 2), "");
    assert!(cell(&r, 8, 0).starts_with("备注：为便于统计"));
    let custom = zip_part(&p, "docProps/custom.xml");
    assert!(custom.contains("<vt:lpwstr>2023Q2</vt:lpwstr>"));
    let sheet = zip_part(&p, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("landscape"), "附表3 纵向");

    // 附表2：示例数据填入。
    let mut wb: Xlsx<_> =
        open_workbook(out.join("区发改局/04-附表2-督办工作人员名单.xlsx")).unwrap();
    let r = wb.worksheet_range("附表2").unwrap();
    assert_eq!(cell(&r, 1, 0), "区发改局《政府工作报告》督办工作人员名单");
    let row: Vec<String> = (0..5).map(|c| cell(&r, 2, c)).collect();
    assert_eq!(row, ["责任人", "姓名", "职务", "办公电话", "手机"]);
    assert_eq!(cell(&r, 3, 0), "分管领导");
    assert_eq!(cell(&r, 3, 2), "副局长");
    assert_eq!(cell(&r, 4, 0), "办公室或者综合协调处室负责人");
    assert_eq!(cell(&r, 5, 0), "经办人");

    // 总表：全部任务，可筛选。
    let mp = out.join("00-责任分解总表.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&mp).unwrap();
    let r = wb.worksheet_range("责任分解总表").unwrap();
    assert_eq!(cell(&r, 5, 2), "区发改局、区住建局");
    assert_eq!(cell(&r, 8, 4), "各街道办事处、区人民政府各部门");
    assert_eq!(cell(&r, 9, 0), "三.2");
    assert!(zip_part(&mp, "xl/worksheets/sheet1.xml").contains("<autoFilter"));
}

#[test]
fn documents_by_role() {
    let out = built("roles");
    let list = |u: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(out.join(u))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        list("区发改局"),
        [
            "02-附表1-办理方案.xlsx",
            "03-附表1-总体办理方案.xlsx",
            "04-附表2-督办工作人员名单.xlsx",
            "05-附表3-2023年第二季度完成情况.xlsx"
        ]
    );
    assert_eq!(
        list("区商务局"),
        ["02-附表1-办理方案.xlsx", "03-附表2-督办工作人员名单.xlsx"]
    );
    assert_eq!(
        list("区财政局"),
        ["02-附表2-督办工作人员名单.xlsx"],
        "纯责任单位"
    );
    assert_eq!(
        list("金口街道办事处"),
        [
            "02-附表2-督办工作人员名单.xlsx",
            "03-附表3-2023年第二季度完成情况.xlsx"
        ],
        "经各街道办事处点到"
    );
    assert_eq!(
        list("区民政局"),
        [
            "02-附表1-办理方案.xlsx",
            "03-附表2-督办工作人员名单.xlsx",
            "04-附表3-2023年第二季度完成情况.xlsx"
        ],
        "无总牵头单位的组由牵头单位报"
    );
    assert_eq!(
        list("区住建局"),
        [
            "02-附表1-办理方案.xlsx",
            "03-附表1-总体办理方案.xlsx",
            "04-附表2-督办工作人员名单.xlsx",
            "05-附表3-2023年第二季度完成情况.xlsx"
        ],
        "两个总牵头单位之一"
    );
    let index = std::fs::read_to_string(out.join("文件清单.csv")).unwrap();
    assert!(
        index.contains("\"区商务局\",\"区商务局/02-附表1-办理方案.xlsx\",\"附表1-办理方案\","),
        "{index}"
    );
    assert!(out.join(".duban-out").exists());
}

#[test]
fn byte_identical_whatever_the_thread_count() {
    let a = build_xlsx(1, &[]);
    let b = build_xlsx(2, &[]);
    let c = build_xlsx(4, &[]);
    assert_eq!(a.files.len(), b.files.len());
    for ((x, y), z) in a.files.iter().zip(&b.files).zip(&c.files) {
        assert_eq!(x.rel, y.rel);
        assert!(
            x.bytes == y.bytes && y.bytes == z.bytes,
            "{} 不一致",
            x.rel.display()
        );
    }
    // --unit 只出该单位（总表照出）。
    let one = build_xlsx(2, &["区财政局".to_string()]);
    let units: std::collections::BTreeSet<String> =
        one.files.iter().map(|f| f.unit.clone()).collect();
    assert_eq!(units.into_iter().collect::<Vec<_>>(), ["", "区财政局"]);
}

/// LibreOffice 无头转换 XLSX → PDF 成功，且转换结果含标题、预填内容和页脚页码。
/// 机器上没有 soffice 时失败并说明如何安装（bash .ci/run 会装好）。
#[test]
fn xlsx_opens_in_libreoffice() {
    let out = built("lo");
    let conv = support::temp_dir("lo-conv");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        conv.join("profile").display()
    );
    let files = [
        "区商务局/02-附表1-办理方案.xlsx",
        "区发改局/05-附表3-2023年第二季度完成情况.xlsx",
        "00-责任分解总表.xlsx",
    ];
    let o = crate::support::run_tool(
        std::process::Command::new("soffice")
            .arg(&profile)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(conv.join("pdf"))
            .args(files.iter().map(|f| out.join(f))),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = |name: &str| -> String {
        let p = conv.join("pdf").join(name);
        crate::support::squash(&crate::support::pdftotext(&p, &["-layout"]))
    };
    let t = text("02-附表1-办理方案.pdf");
    assert!(t.contains("区商务局区《政府工作报告》办理方案"), "{t}");
    assert!(t.contains("1.梳理关键零部件项目清单"), "{t}");
    assert!(t.contains("第1页共1页"), "页脚：{t}");
    assert!(!t.contains("task=2"), "隐藏键列不打印：{t}");
    let t = text("05-附表3-2023年第二季度完成情况.pdf");
    assert!(t.contains("备注：为便于统计"), "{t}");
    let t = text("00-责任分解总表.pdf");
    assert!(t.contains("区发改局、区住建局"), "{t}");
}

/// 总体办理方案全部单元格（含隐藏键列）的快照。
#[test]
fn overall_plan_cells_snapshot() {
    let out = built("snap");
    let mut wb: Xlsx<_> = open_workbook(out.join("区发改局/03-附表1-总体办理方案.xlsx")).unwrap();
    let r = wb.worksheet_range("总体办理方案").unwrap();
    let text: Vec<String> = r
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}

//! 回收一圈：build 下发 → 像 Excel/WPS 那样填表（共享/内联字符串、日期序号、合并格、插入第 5 行、
//! 改表名加工作表、全角数字、公式）→ 再经 LibreOffice 另存（真正的第二个客户端）→ ingest →
//! build，PDF 文字与 XLSX 格子里正是填的内容。另测：再导入不变、后来的取代、同批重复、
//! 坏文件不拖累整批、手工录入优先、check 报告报回件概况。

use crate::support::{self, libreoffice_resave, XlsxEdit};
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::path::{Path, PathBuf};

/// 临时项目：夹具的配置、通知、登记册；`with_subs` 时带上夹具的手工录入。
pub fn project_dir(name: &str, with_subs: bool) -> PathBuf {
    let d = support::temp_dir(name);
    let src = support::fixture("build");
    std::fs::create_dir_all(d.join("content")).unwrap();
    std::fs::copy(src.join("duban.toml"), d.join("duban.toml")).unwrap();
    for f in ["notice.txt", "units.toml"] {
        std::fs::copy(src.join("content").join(f), d.join("content").join(f)).unwrap();
    }
    if with_subs {
        let s = d.join("content/submissions");
        std::fs::create_dir_all(&s).unwrap();
        std::fs::copy(
            src.join("content/submissions/区商务局-办理方案.toml"),
            s.join("区商务局-办理方案.toml"),
        )
        .unwrap();
    }
    d
}

/// 在项目里运行 duban。
pub fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let cfg = dir.join("duban.toml");
    let mut all = vec!["-c", cfg.to_str().unwrap()];
    all.extend_from_slice(args);
    support::duban(&all)
}

fn ok(out: &std::process::Output) -> String {
    let s =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{s}");
    s
}

fn cells(path: &Path, sheet: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap_or_else(|e| panic!("{}：{e}", path.display()));
    wb.worksheet_range(sheet).unwrap()
}

fn cell(r: &calamine::Range<Data>, row: u32, col: u32) -> String {
    r.get_value((row, col))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// 区商务局的附表1（第 2 项，第 5–8 行）：共享字符串、下拉“3月”、日期序号、全角“９”、数字 12、
/// 合并的分管领导格，在第 7 行后插入一行（第 5 条）。
fn fill_shangwu_plan(e: &mut XlsxEdit) {
    e.set_shared("C5", "1.梳理关键零部件项目清单")
        .set_shared("D5", "3月")
        .set_shared("E5", "分管副局长")
        .set_shared("F5", "投资促进科")
        .set_shared("C6", "2.完成年度招引目标的一半")
        .set_date("D6", 45107.0) // 2023-06-30
        .set_shared("E6", "招商副局长")
        .set_str("C7", "3.引进“三电”项目 2 个")
        .set_str("D7", "９")
        .set_str("F7", "投资促进科");
    let sheet = e
        .part("xl/worksheets/sheet1.xml")
        .replace("</mergeCells>", r#"<mergeCell ref="E6:E7"/></mergeCells>"#);
    e.set_part("xl/worksheets/sheet1.xml", &sheet);
    e.insert_row_after(7)
        .set_str("C8", "新增：建立项目专班，每月调度")
        .set_str("D8", "2023年10月")
        .set_str("F8", "综合科")
        .set_shared("C9", "4.完成全年招引目标")
        .set_num("D9", 12.0);
}

/// 区发改局的附表1（第 1、4 项）：全部内联字符串，改表名、前面加一张说明表，带一个公式。
fn fill_fagai_plan(e: &mut XlsxEdit) {
    e.set_str("C5", "1.编制示范区创建方案")
        .set_str("D5", "4月")
        .set_str("E5", "局长")
        .set_str("F5", "产业科")
        .set_str("C9", "1.过江通道项目前期工作")
        .set_str("D9", "2023-08")
        .set_formula("C10", r#""2."&"开工建设""#, "2.开工建设")
        .set_str("D10", "十一月")
        .inline_all_strings()
        .rename_sheet("附表1", "办理方案（已填）")
        .add_sheet_first("填报说明", "本表由区发改局填报");
}

/// 区发改局的附表3（第 1–4 项，第 5–8 行）：多行文字、全角空格。
fn fill_fagai_quarterly(e: &mut XlsxEdit) {
    e.set_shared("C5", "完成示范区创建方案编制\n已报市发改委审核")
        .set_shared("C6", "已引进项目３个，完成全年目标的60%")
        .set_shared("C7", "　规划衔接方案已报审")
        .set_str("C8", "过江通道完成工可批复");
}

/// 区商务局的附表2（第 4–6 行）：全角电话、数字格的手机号。
fn fill_shangwu_contacts(e: &mut XlsxEdit) {
    e.set_shared("B4", "张三")
        .set_shared("C4", "副局长")
        .set_str("D4", "０２７－８１２３４５６７")
        .set_num("E4", 13800000000.0)
        .set_shared("B5", "李四")
        .set_shared("B6", "王五")
        .set_str("E6", "139 0000 0000");
}

/// 下发（只出 XLSX）并把四份表填好放进 `收件/`，返回它们的路径。
fn distribute_and_fill(dir: &Path) -> Vec<PathBuf> {
    ok(&run(
        dir,
        &[
            "build",
            "--no-pdf",
            "--out",
            dir.join("下发").to_str().unwrap(),
        ],
    ));
    let inbox = dir.join("收件");
    std::fs::create_dir_all(&inbox).unwrap();
    type Fill = fn(&mut XlsxEdit);
    let jobs: [(&str, &str, Fill); 4] = [
        (
            "区商务局/02-附表1-办理方案.xlsx",
            "区商务局-附表1.xlsx",
            fill_shangwu_plan,
        ),
        (
            "区发改局/02-附表1-办理方案.xlsx",
            "区发改局-附表1.xlsx",
            fill_fagai_plan,
        ),
        (
            "区发改局/05-附表3-2023年第二季度完成情况.xlsx",
            "区发改局-附表3.xlsx",
            fill_fagai_quarterly,
        ),
        (
            "区商务局/03-附表2-督办工作人员名单.xlsx",
            "区商务局-附表2.xlsx",
            fill_shangwu_contacts,
        ),
    ];
    jobs.iter()
        .map(|(from, to, fill)| {
            let mut e = XlsxEdit::open(&dir.join("下发").join(from));
            fill(&mut e);
            let p = inbox.join(to);
            e.save(&p);
            p
        })
        .collect()
}

/// 生成的材料里看得到填的内容：XLSX 格子与 PDF 文字。返回几张表的格子（比较两轮用）。
fn assert_filled(out: &Path) -> Vec<Vec<String>> {
    let plan = cells(&out.join("区商务局/02-附表1-办理方案.xlsx"), "附表1");
    let rows: Vec<Vec<String>> = (4..9)
        .map(|r| (2..6).map(|c| cell(&plan, r, c)).collect())
        .collect();
    assert_eq!(
        rows,
        [
            [
                "1.梳理关键零部件项目清单",
                "3月",
                "分管副局长",
                "投资促进科"
            ],
            ["2.完成年度招引目标的一半", "6月", "招商副局长", ""],
            ["3.引进“三电”项目 2 个", "9月", "招商副局长", "投资促进科"],
            ["4.新增：建立项目专班，每月调度", "10月", "", "综合科"],
            ["5.完成全年招引目标", "12月", "", ""],
        ],
        "插入的第 5 条保留，合并的分管领导对两行都算数"
    );
    assert_eq!(cell(&plan, 8, 6), "task=2;row=5");
    // 总体办理方案由各牵头单位报回的附表1 填成：第 2 项（区商务局）5 行，第 1 项是区发改局自己的。
    let overall = cells(
        &out.join("区发改局/03-附表1-总体办理方案.xlsx"),
        "总体办理方案",
    );
    let all: Vec<String> = (4..40).map(|r| cell(&overall, r, 3)).collect();
    assert!(all.contains(&"1.编制示范区创建方案".to_string()), "{all:?}");
    assert!(all.contains(&"5.完成全年招引目标".to_string()), "{all:?}");
    let q = cells(
        &out.join("区发改局/05-附表3-2023年第二季度完成情况.xlsx"),
        "附表3",
    );
    let statuses: Vec<String> = (4..8).map(|r| cell(&q, r, 2)).collect();
    assert_eq!(
        statuses,
        [
            "完成示范区创建方案编制\n已报市发改委审核",
            "已引进项目３个，完成全年目标的60%",
            "规划衔接方案已报审",
            "过江通道完成工可批复"
        ]
    );
    let c = cells(
        &out.join("区商务局/03-附表2-督办工作人员名单.xlsx"),
        "附表2",
    );
    let people: Vec<String> = (3..6)
        .flat_map(|r| (1..5).map(move |k| (r, k)))
        .map(|(r, k)| cell(&c, r, k))
        .collect();
    assert_eq!(
        people[..4],
        ["张三", "副局长", "０２７－８１２３４５６７", "13800000000"]
    );
    assert_eq!(
        (people[4].as_str(), people[8].as_str(), people[11].as_str()),
        ("李四", "王五", "139 0000 0000")
    );
    // 区发改局的附表1：内联字符串、改名的表、公式的结果、“十一月”。
    let f = cells(&out.join("区发改局/02-附表1-办理方案.xlsx"), "附表1");
    assert_eq!(
        (cell(&f, 8, 2), cell(&f, 8, 3)),
        ("1.过江通道项目前期工作".into(), "8月".into())
    );
    assert_eq!(
        (cell(&f, 9, 2), cell(&f, 9, 3)),
        ("2.开工建设".into(), "11月".into())
    );
    let pdf = support::squash(&support::pdftotext(
        &out.join("区商务局/02-附表1-办理方案.pdf"),
        &[],
    ));
    for want in [
        "4.新增：建立项目专班，每月调度",
        "10月",
        "5.完成全年招引目标",
        "招商副局长",
    ] {
        assert!(
            pdf.contains(&support::squash(want)),
            "PDF 缺“{want}”：{pdf}"
        );
    }
    let pdf = support::squash(&support::pdftotext(
        &out.join("区发改局/05-附表3-2023年第二季度完成情况.pdf"),
        &[],
    ));
    assert!(
        pdf.contains("已报市发改委审核") && pdf.contains("过江通道完成工可批复"),
        "{pdf}"
    );
    vec![rows.concat(), statuses, people, all]
}

/// 整圈：程序填表 → 导入 → 生成；LibreOffice 另存 → 再导入（取代）→ 生成，结果一样；
/// 同样的文件再导入什么都不变。
#[test]
fn round_trip_through_writer_and_libreoffice() {
    let dir = project_dir("ingest-round", false);
    let filled = distribute_and_fill(&dir);
    let out = ok(&run(
        &dir,
        &[
            "ingest",
            dir.join("收件").to_str().unwrap(),
            "--received",
            "2023-02-14",
        ],
    ));
    assert!(
        out.contains("新登记 4（已接收 4，退回 0，拒收 0，待定 0）"),
        "{out}"
    );
    assert!(
        out.contains("区发改局-附表1.xlsx：第 1 号，已接收（区发改局 附表1）"),
        "{out}"
    );
    assert!(
        out.contains("这一格是公式，已取其上次计算的结果“2.开工建设”"),
        "公式只警告：{out}"
    );
    let ledger = dir.join("content/received/登记簿.toml");
    let before = std::fs::read(&ledger).unwrap();
    ok(&run(
        &dir,
        &[
            "build",
            "--today",
            "2023-02-16",
            "--out",
            dir.join("out1").to_str().unwrap(),
        ],
    ));
    let first = assert_filled(&dir.join("out1"));
    assert!(
        !dir.join("out1/区商务局/04-催报通知.pdf").exists(),
        "已报齐，不再催报"
    );

    // 再导入同样的文件：不加登记、不改任何文件。
    let again = ok(&run(
        &dir,
        &[
            "ingest",
            dir.join("收件").to_str().unwrap(),
            "--received",
            "2023-03-01",
        ],
    ));
    assert!(again.contains("已登记过未改动 4"), "{again}");
    assert_eq!(std::fs::read(&ledger).unwrap(), before);

    // LibreOffice 另存的同样内容：字节不同，作为后来的一份取代前一份，生成结果不变。
    let lo = libreoffice_resave(&filled, &dir.join("LO另存"));
    assert!(lo.iter().all(|p| std::fs::read(p).unwrap()
        != std::fs::read(dir.join("收件").join(p.file_name().unwrap())).unwrap()));
    let out = ok(&run(
        &dir,
        &[
            "ingest",
            dir.join("LO另存").to_str().unwrap(),
            "--received",
            "2023-02-15",
        ],
    ));
    assert!(out.contains("新登记 4（已接收 4"), "{out}");
    assert!(
        out.contains("区商务局-附表1.xlsx：第 7 号，已接收（区商务局 附表1），取代第 3 号"),
        "{out}"
    );
    ok(&run(
        &dir,
        &[
            "build",
            "--today",
            "2023-02-16",
            "--out",
            dir.join("out2").to_str().unwrap(),
        ],
    ));
    assert_eq!(
        assert_filled(&dir.join("out2")),
        first,
        "LibreOffice 另存后读回的内容与原来一样"
    );

    // 历史：8 条，前 4 条被取代，原件全部完好；check 报告报回件概况。
    let h = ok(&run(&dir, &["ingest", "--history"]));
    assert!(
        h.contains(
            "第 3 号  2023-02-14  区商务局  附表1  已接收  区商务局-附表1.xlsx（被第 7 号取代）"
        ),
        "{h}"
    );
    assert!(h.contains("原件全部完好"), "{h}");
    let c = ok(&run(&dir, &["check"]));
    assert!(
        c.contains("报回件：收件 8 份（已接收 8，其中现用 4、被取代 4；退回 0；拒收 0）"),
        "{c}"
    );
    let original = std::fs::read_dir(dir.join("content/received/originals"))
        .unwrap()
        .count();
    assert_eq!(original, 8, "每个收到的文件都逐字节保存");
}

/// 坏文件不拖累整批；有问题的单位拿到退回说明 PDF 和标注表；退出码 1。
#[test]
fn bad_files_do_not_stop_the_batch_and_units_get_return_letters() {
    let dir = project_dir("ingest-bad", false);
    let filled = distribute_and_fill(&dir);
    let inbox = dir.join("收件");
    std::fs::write(inbox.join("扫描件.xlsx"), b"%PDF-1.4 fake").unwrap();
    std::fs::write(
        inbox.join("截断.xlsx"),
        &std::fs::read(&filled[0]).unwrap()[..500],
    )
    .unwrap();
    std::fs::write(inbox.join("~$区商务局-附表1.xlsx"), b"lock").unwrap();
    std::fs::write(inbox.join("说明.docx"), b"x").unwrap();
    // 区商务局的附表2 改坏：经办人姓名清空、手机号写错。
    let mut e = XlsxEdit::open(&filled[3]);
    e.set_str("B6", "").set_str("E5", "1380000");
    e.save(&inbox.join("区商务局-附表2.xlsx"));
    let out = run(
        &dir,
        &[
            "ingest",
            inbox.to_str().unwrap(),
            "--received",
            "2023-02-14",
        ],
    );
    let s =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(
        s.contains("新登记 6（已接收 3，退回 1，拒收 2，待定 0）"),
        "{s}"
    );
    assert!(s.contains("扫描件.xlsx：第 6 号，拒收"), "{s}");
    assert!(
        s.contains("错误 整个文件：不是 Excel 工作簿（看起来是 PDF 文件）"),
        "{s}"
    );
    assert!(
        s.contains("错误 整个文件：文件已损坏，无法作为 XLSX 打开"),
        "{s}"
    );
    assert!(s.contains("错误 附表2!B6：经办人的姓名未填写"), "{s}");
    assert!(
        s.contains("警告 附表2!E5：手机号“1380000”不是 11 位"),
        "{s}"
    );
    assert!(
        s.contains("略过：")
            && s.contains("说明.docx（不是表格文件）")
            && s.contains("（临时或隐藏文件）"),
        "{s}"
    );
    let folder = dir.join("content/received/退回/2023-02-14/区商务局");
    let pdf = folder.join("退回说明（第4号）.pdf");
    let text = support::squash(&support::pdftotext(&pdf, &[]));
    for want in [
        "报送材料退回说明",
        "区商务局：",
        "附表2!B6",
        "经办人的姓名未填写",
        "区商务局-附表2-标注（第4号）.xlsx",
    ] {
        assert!(
            text.contains(&support::squash(want)),
            "退回说明缺“{want}”：{text}"
        );
    }
    assert!(!text.contains("手机号"), "警告不是退回的理由");
    let marked = folder.join("区商务局-附表2-标注（第4号）.xlsx");
    let m = XlsxEdit::open(&marked);
    assert!(
        m.part("xl/comments1.xml").contains("经办人的姓名未填写"),
        "标注表有批注"
    );
    let c = cells(&marked, "附表2");
    assert_eq!(
        (cell(&c, 3, 1), cell(&c, 4, 4)),
        ("张三".into(), "1380000".into()),
        "标注表是单位填的原样"
    );
    // 原件全部保存（拒收的也保存），check 报告退回未更正。
    assert_eq!(
        std::fs::read_dir(dir.join("content/received/originals"))
            .unwrap()
            .count(),
        6
    );
    let c = String::from_utf8_lossy(&run(&dir, &["check"]).stderr).to_string();
    assert!(c.contains("区商务局 附表2：2023-02-14 收到的一份（第 4 号，区商务局-附表2.xlsx）已退回（1 个错误），尚未收到更正件；没有可用的一份"), "{c}");
}

/// 同一批里同一单位同一张表两份内容不同：都待定；单独再导入其中一份就定下来。
/// 试运行不写任何文件。
#[test]
fn duplicates_in_one_batch_are_pending_and_dry_run_writes_nothing() {
    let dir = project_dir("ingest-dup", false);
    let filled = distribute_and_fill(&dir);
    let mut e = XlsxEdit::open(&filled[0]);
    e.set_str("C5", "1.另一个版本");
    let other = dir.join("收件/区商务局-附表1-改.xlsx");
    e.save(&other);
    let out = run(
        &dir,
        &[
            "ingest",
            "--dry-run",
            dir.join("收件").to_str().unwrap(),
            "--received",
            "2023-02-14",
        ],
    );
    let s = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(s.contains("试运行：没有写入任何文件"), "{s}");
    assert!(!dir.join("content/received").exists(), "试运行不建报回件库");
    let s = String::from_utf8_lossy(
        &run(
            &dir,
            &[
                "ingest",
                dir.join("收件").to_str().unwrap(),
                "--received",
                "2023-02-14",
            ],
        )
        .stdout,
    )
    .to_string();
    assert!(s.contains("待定 2"), "{s}");
    assert!(s.contains("同一批中区商务局的附表1有 2 份内容不同的文件（“区商务局-附表1-改.xlsx”、“区商务局-附表1.xlsx”），无法判断哪份为准，都未使用"), "{s}");
    let s = ok(&run(
        &dir,
        &[
            "ingest",
            other.to_str().unwrap(),
            "--received",
            "2023-02-14",
        ],
    ));
    assert!(
        s.contains("已接收（区商务局 附表1）"),
        "单独再导入就定下来：{s}"
    );
    let data = std::fs::read_dir(dir.join("content/received/data"))
        .unwrap()
        .count();
    assert_eq!(
        data, 4,
        "定下来的一份整理数据已写出（同一字节的待定条目不影响）"
    );
    let c = ok(&run(&dir, &["check"]));
    assert!(c.contains("已接收 4，其中现用 4"), "{c}");
}

/// 手工录入（content/submissions）与报回件同一单位同一张表时，手工录入优先，并警告。
#[test]
fn hand_entered_toml_wins_over_ingested_return() {
    let dir = project_dir("ingest-hand", true);
    let filled = distribute_and_fill(&dir);
    ok(&run(
        &dir,
        &[
            "ingest",
            filled[0].to_str().unwrap(),
            "--received",
            "2023-02-14",
        ],
    ));
    let c = String::from_utf8_lossy(&run(&dir, &["check"]).stderr).to_string();
    assert!(
        c.contains("手工录入优先：区商务局 的附表1另有导入的报回件"),
        "{c}"
    );
    ok(&run(
        &dir,
        &[
            "build",
            "--no-pdf",
            "--today",
            "2023-02-16",
            "--out",
            dir.join("out").to_str().unwrap(),
        ],
    ));
    let plan = cells(&dir.join("out/区商务局/02-附表1-办理方案.xlsx"), "附表1");
    assert_eq!(
        cell(&plan, 6, 2),
        "3.",
        "用的是手工录入的两行，不是报回件的五行"
    );
    std::fs::remove_file(dir.join("content/submissions/区商务局-办理方案.toml")).unwrap();
    ok(&run(
        &dir,
        &[
            "build",
            "--no-pdf",
            "--today",
            "2023-02-16",
            "--out",
            dir.join("out").to_str().unwrap(),
        ],
    ));
    let plan = cells(&dir.join("out/区商务局/02-附表1-办理方案.xlsx"), "附表1");
    assert_eq!(
        cell(&plan, 8, 2),
        "5.完成全年招引目标",
        "删去手工录入后用报回件"
    );
}

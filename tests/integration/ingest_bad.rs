//! 读回时的每一种坏情况都有测试和它的中文报告（位置、问题、提示）：锁定格被改、任务块被删、
//! 月份不对、必填项缺、隐藏键与表面不一致、旧表、公式与“=”开头、超长、损坏/加密/炸弹/百万行、
//! 没有隐藏键的表、多张像报送表的工作表；以及总体办理方案、附表3、附表2 的正常读回。
//! 直接调用 `duban::ingest::evaluate`（与 `duban ingest` 同一段代码），不经文件系统。

use crate::support::XlsxEdit;
use duban::date::Date;
use duban::ingest::{evaluate, Evaluation};
use duban::submissions::received::Outcome;
use std::sync::OnceLock;

/// 夹具项目下发的全部 XLSX（区商务局的附表1 已按示例报送预填第 2 项的两行）。
fn form(rel: &str) -> XlsxEdit {
    static FILES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    let files = FILES.get_or_init(|| {
        crate::xlsx::build_xlsx(1, &[])
            .files
            .into_iter()
            .map(|f| (f.rel.to_string_lossy().replace('\\', "/"), f.bytes))
            .collect()
    });
    let (_, b) = files
        .iter()
        .find(|(r, _)| r == rel)
        .unwrap_or_else(|| panic!("无 {rel}"));
    XlsxEdit::from_bytes(b)
}

const PLAN: &str = "区商务局/02-附表1-办理方案.xlsx";
const OVERALL: &str = "区发改局/03-附表1-总体办理方案.xlsx";
const QUARTERLY: &str = "区发改局/05-附表3-2023年第二季度完成情况.xlsx";
const CONTACTS: &str = "区商务局/03-附表2-督办工作人员名单.xlsx";

fn eval(e: &XlsxEdit) -> Evaluation {
    eval_bytes(&e.bytes())
}

fn eval_bytes(b: &[u8]) -> Evaluation {
    static PROJECT: OnceLock<duban::Project> = OnceLock::new();
    let p = PROJECT.get_or_init(crate::support::project);
    evaluate(p, "x.xlsx", b, Date::parse("2023-02-14").unwrap())
}

fn lines(ev: &Evaluation) -> Vec<String> {
    ev.problems.iter().map(|p| p.line()).collect()
}

/// 结果与一条报告（整行）。
fn expect(ev: &Evaluation, outcome: Outcome, line: &str) {
    let l = lines(ev);
    assert_eq!(ev.outcome, outcome, "{l:#?}");
    assert!(l.iter().any(|x| x == line), "没有“{line}”：{l:#?}");
}

#[test]
fn prefilled_form_as_sent_back_is_accepted() {
    let ev = eval(&form(PLAN));
    assert_eq!(ev.outcome, Outcome::Accepted, "{:#?}", lines(&ev));
    assert!(ev.problems.is_empty(), "{:#?}", lines(&ev));
    let sub = ev.submission.unwrap();
    assert_eq!(sub.plan[0].rows.len(), 2);
    assert_eq!(sub.plan[0].rows[1].content, "完成年度招引目标的一半");
    assert_eq!(sub.received.unwrap().to_string(), "2023-02-14");
}

#[test]
fn locked_cells_and_deleted_blocks() {
    let mut e = form(PLAN);
    e.set_str("B5", "改过的责任事项");
    expect(&eval(&e), Outcome::Returned, "错误 附表1!B5：第2项的责任事项与通知原文不同：“改过的责任事项”（锁定格）（提示：应为通知原文：“大力引进“三电”等关键零部件项目,做大“零整比”。”）");
    let mut e = form(PLAN);
    e.set_str("A5", "３");
    expect(
        &eval(&e),
        Outcome::Returned,
        "错误 附表1!A5：序号格被改为“３”（锁定格）（提示：应为 2；请勿改动序号）",
    );
    let mut e = form(PLAN);
    let xml = e.part("xl/worksheets/sheet1.xml");
    let (a, b) = (
        xml.find(r#"<row r="5""#).unwrap(),
        xml.find("</sheetData>").unwrap(),
    );
    e.set_part(
        "xl/worksheets/sheet1.xml",
        &format!("{}{}", &xml[..a], &xml[b..]),
    );
    expect(
        &eval(&e),
        Outcome::Returned,
        "错误 附表1：缺少第2项（整块被删去了？）（提示：请用下发的表重新填报，不要删去任务行）",
    );
    let mut e = form(PLAN);
    e.set_str("G5", "task=2;rwo=1");
    expect(&eval(&e), Outcome::Returned, "错误 附表1!G5：隐藏键“task=2;rwo=1”被改动，无法识别（提示：隐藏列是 duban 用来逐行核对的，请勿修改；请用下发的表重新填报）");
}

#[test]
fn months_must_be_one_month() {
    for (v, line) in [
        ("13月", "错误 附表1!D5：第2项的完成时间“13月”不在 1–12 月之间（提示：按月填写，1 表示 1 月，12 表示 12 月）"),
        ("下半年", "错误 附表1!D5：第2项的完成时间“下半年”不是月份（提示：从下拉列表选 1月–12月，或写“5月”“2023年5月”；“年底”请写“12月”）"),
        ("5-6月", "错误 附表1!D5：第2项的完成时间“5-6月”是一段时间，只能填一个月份（提示：跨月的工作填计划完成的那个月，如“6月”；分阶段的可拆成几行分别填写）"),
    ] {
        let mut e = form(PLAN);
        e.set_str("D5", v);
        expect(&eval(&e), Outcome::Returned, line);
    }
    let mut e = form(PLAN);
    e.set_str("D5", "2024年5月");
    expect(&eval(&e), Outcome::Accepted, "警告 附表1!D5：完成时间“2024年5月”不是 2023 年（提示：本年度的任务一般在本年度内完成；如确是跨年完成，可忽略本警告）");
}

#[test]
fn required_fields() {
    let mut e = form(PLAN);
    e.set_str("D6", "");
    expect(
        &eval(&e),
        Outcome::Returned,
        "错误 附表1!D6：第2项“完成年度招引目标的一半”没有填完成时间（提示：从下拉列表选 1月–12月）",
    );
    let mut e = form(PLAN);
    e.set_str("C6", "2.");
    expect(&eval(&e), Outcome::Returned, "错误 附表1!C6：第2项的这一行填了完成时间或负责人，却没有具体工作内容（提示：补上具体工作内容，或清空这一行）");
    let mut e = form(PLAN);
    for c in ["C5", "D5", "E5", "F5", "C6", "D6", "E6", "F6"] {
        e.set_str(c, "");
    }
    expect(&eval(&e), Outcome::Returned, "错误 附表1!C5：第2项没有填写具体工作内容（提示：每项任务至少填一条具体工作内容和完成时间）");
    let mut e = form(QUARTERLY);
    e.set_str("C5", "甲").set_str("C6", "乙");
    let ev = eval(&e);
    expect(
        &ev,
        Outcome::Returned,
        "错误 附表3!C8：第4项没有填写完成情况（提示：写明本季度的主要进展、数据和存在的问题）",
    );
    assert_eq!(ev.errors(), 1, "第 3 项是预填的：{:#?}", lines(&ev));
}

#[test]
fn keys_must_agree_with_what_the_sheet_shows() {
    let mut e = form(PLAN);
    e.set_prop("duban.unit", "区财政局");
    expect(&eval(&e), Outcome::Rejected, "错误 整个文件：隐藏键说这是区财政局的表，表上写的单位却是“区商务局”：可能是拿别的单位的表改的（提示：与报送单位核实后，请其用本单位下发的表重新填报）");
    let mut e = form(PLAN);
    e.set_prop("duban.form", "附表3");
    expect(&eval(&e), Outcome::Rejected, "错误 整个文件：隐藏键说这是附表3，表头却是附表1的列（提示：表格被改过版式；请单位用下发的表重新填报）");
    let mut e = form(PLAN);
    e.set_prop("duban.unit", "区不存在局");
    expect(&eval(&e), Outcome::Rejected, "错误 整个文件：隐藏键中的单位“区不存在局”不在单位登记册中（提示：在 content/units.toml 中登记该单位（或别名）后重新导入）");
    let mut e = form(QUARTERLY);
    e.set_prop("duban.quarter", "2023Q3");
    expect(&eval(&e), Outcome::Returned, "错误 附表3：标题写的是第二季度，而这份表是2023年第三季度下发的（提示：请用本季度下发的表填报，不要改标题或拿上季度的表改）");
}

#[test]
fn stale_forms_and_versions() {
    let mut e = form(PLAN);
    e.set_prop("duban.task_ids", "2,9");
    expect(&eval(&e), Outcome::Returned, "错误 附表1：这份表是按旧的任务目录生成的（表中的第9项已不归本单位或已取消）（提示：请用按现行通知重新下发的表填报）");
    let mut e = form(PLAN);
    e.set_prop("duban.template_version", "duban-forms-9");
    expect(&eval(&e), Outcome::Accepted, "警告 附表1：模板版本“duban-forms-9”不认识，按当前版式读取（提示：可能是更新版本的 duban 生成的表；如读出的内容不对，请用本机 duban 生成的表重新下发）");
    let mut e = form(PLAN);
    e.set_prop("duban.template_version", "duban-forms-1");
    assert!(eval(&e).problems.is_empty(), "旧版（不能插行的）表照样读");
}

#[test]
fn formulas_leading_equals_and_overlong_cells() {
    let mut e = form(PLAN);
    e.set_formula("C5", r#""1."&"梳理清单""#, "1.梳理清单");
    let ev = eval(&e);
    expect(&ev, Outcome::Accepted, "警告 附表1!C5：这一格是公式，已取其上次计算的结果“1.梳理清单”（提示：duban 不计算公式；请把结果直接填进格子）");
    assert_eq!(
        ev.submission.unwrap().plan[0].rows[0].content,
        "梳理清单",
        "存的是缓存的结果"
    );
    let mut e = form(PLAN);
    e.set_str("E5", "=HYPERLINK(\"x\")");
    expect(&eval(&e), Outcome::Accepted, "警告 附表1!E5：“=HYPERLINK(\"x\")”以“=”开头，在别的软件里可能被当作公式（提示：duban 原样保存为文字；如是列项符号，建议去掉）");
    let mut e = form(PLAN);
    e.set_str("C5", &format!("1.{}", "长".repeat(33_000)));
    expect(&eval(&e), Outcome::Returned, "错误 附表1!C5：这一格有 33002 字，超过 Excel 单元格 32767 字的上限（提示：精简内容或拆成几行（在任务块内插入行））");
}

#[test]
fn unreadable_files_are_rejected_with_reasons() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            b"%PDF-1.7".to_vec(),
            "不是 Excel 工作簿（看起来是 PDF 文件）",
        ),
        (
            form(PLAN).bytes()[..400].to_vec(),
            "文件已损坏，无法作为 XLSX 打开（找不到压缩包目录）",
        ),
        (
            {
                // 加了打开密码的 XLSX：OLE 复合文件，内有 EncryptionInfo 与 EncryptedPackage 流。
                let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
                b.resize(1024, 0);
                for n in ["EncryptionInfo", "EncryptedPackage"] {
                    b.extend(n.encode_utf16().flat_map(|u| u.to_le_bytes()));
                }
                b
            },
            "文件设了打开密码（已加密），无法读取",
        ),
        (
            {
                let mut e = form(PLAN);
                e.set_part("xl/worksheets/sheet1.xml", &" ".repeat(40 << 20));
                e.bytes()
            },
            "部件 xl/worksheets/sheet1.xml 解压后超过 32 MB（疑似压缩炸弹），未继续读取",
        ),
        (
            {
                let mut e = form(PLAN);
                let xml = e.part("xl/worksheets/sheet1.xml").replace("</sheetData>", r#"<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#);
                e.set_part("xl/worksheets/sheet1.xml", &xml);
                e.bytes()
            },
            "工作表“附表1”过大（在 A1048576 有内容），不像是报送表",
        ),
        (
            form("00-责任分解总表.xlsx").bytes(),
            "找不到报送表的表头（序号、责任事项、具体工作内容、完成情况或姓名等列）",
        ),
    ];
    for (bytes, msg) in cases {
        let t = std::time::Instant::now();
        let ev = eval_bytes(&bytes);
        assert!(t.elapsed().as_secs() < 3, "{msg}");
        assert_eq!(ev.outcome, Outcome::Rejected, "{msg}");
        assert_eq!(ev.problems[0].message, msg);
        assert!(!ev.problems[0].hint.is_empty());
    }
}

#[test]
fn sheets_renamed_added_or_doubled() {
    let mut e = form(PLAN);
    e.rename_sheet("附表1", "Sheet1")
        .add_sheet_first("说明", "说明文字");
    assert_eq!(eval(&e).outcome, Outcome::Accepted, "改名、调序都不要紧");
    let mut e = form(PLAN);
    let sheet = e.part("xl/worksheets/sheet1.xml");
    e.add_sheet_first("附表1 (2)", "x")
        .set_part("xl/worksheets/sheet9.xml", &sheet);
    expect(&eval(&e), Outcome::Rejected, "错误 整个文件：工作簿中有 2 张工作表都像报送表（“附表1 (2)”、“附表1”），无法确定用哪一张（提示：请单位删去多余的工作表，只留填好的一张后重新报送）");
}

/// 没有隐藏键（单位照样子自己做的表）：按看得见的序号认；认不出的逐项报告。
#[test]
fn keyless_forms_are_matched_by_visible_ids() {
    let mut e = form(PLAN);
    e.strip_keys("G");
    let ev = eval(&e);
    expect(&ev, Outcome::Accepted, "警告 附表1：文件中没有 duban 写入的隐藏键（可能是单位自己照样子做的表）：按表中看得见的序号、责任事项逐行认（提示：能认出的照常接收；认不准的会逐项报告）");
    assert_eq!(ev.unit, "区商务局", "单位取自“单位：”一行");
    assert_eq!(ev.submission.unwrap().plan[0].rows.len(), 2);
    let mut e = form(PLAN);
    e.strip_keys("G").set_str("A5", "99");
    expect(&eval(&e), Outcome::Returned, "错误 附表1!A5：任务目录中没有第99项，这一块未读取（提示：请用本单位下发的表填报；多出的任务块删去）");
    let mut e = form(PLAN);
    e.strip_keys("G").set_str("A5", "");
    let ev = eval(&e);
    expect(
        &ev,
        Outcome::Accepted,
        "警告 附表1!A5：这一块没有序号，按责任事项原文认作第2项（提示：请在序号格填上任务序号）",
    );
    assert_eq!(ev.submission.unwrap().plan[0].rows.len(), 2);
    let mut e = form(PLAN);
    e.strip_keys("G")
        .set_str("A5", "")
        .set_str("B5", "自己写的事项");
    expect(&eval(&e), Outcome::Returned, "错误 附表1!C5：这一行在第一项任务之前，不属于任何任务，未读取（提示：内容请填在对应任务的行内；需要多填一条时在该任务的行之间插入行）");
    let mut e = form(PLAN);
    e.strip_keys("G").set_str("A3", "");
    expect(&eval(&e), Outcome::Accepted, "警告 附表1：文件中没有 duban 写入的隐藏键（可能是单位自己照样子做的表）：按表中看得见的序号、责任事项逐行认（提示：能认出的照常接收；认不准的会逐项报告）");
}

#[test]
fn rows_outside_blocks() {
    let mut e = form(PLAN);
    e.insert_row_after(4).set_str("C5", "写在第一项之前");
    expect(&eval(&e), Outcome::Returned, "错误 附表1!C5：这一行在第一项任务之前，不属于任何任务，未读取（提示：内容请填在对应任务的行内；需要多填一条时在该任务的行之间插入行）");
    let mut e = form(PLAN);
    let xml = e.part("xl/worksheets/sheet1.xml").replace("</sheetData>", r#"<row r="12"><c r="A12" t="inlineStr"><is><t>填表人：张三</t></is></c></row></sheetData>"#);
    e.set_part("xl/worksheets/sheet1.xml", &xml);
    expect(&eval(&e), Outcome::Accepted, "警告 附表1!A12：表中的文字“填表人：张三”不在任何填报格内，未读取（提示：填表人、联系电话等写在表外的信息不影响报送；要报送的内容请填进对应的格子）");
    // 表下一串只有格式、没有内容的空行（Excel 里拖过格式常见）：不算问题。
    let mut e = form(PLAN);
    let empty: String = (9..300).map(|r| format!(r#"<row r="{r}"><c r="C{r}" s="6"/><c r="D{r}" s="6" t="inlineStr"><is><t></t></is></c></row>"#)).collect();
    let xml = e
        .part("xl/worksheets/sheet1.xml")
        .replace("</sheetData>", &format!("{empty}</sheetData>"));
    e.set_part("xl/worksheets/sheet1.xml", &xml);
    let ev = eval(&e);
    assert_eq!(
        (ev.outcome, ev.problems.len()),
        (Outcome::Accepted, 0),
        "{:#?}",
        lines(&ev)
    );
}

/// 总体办理方案：每段按隐藏键归到牵头单位；牵头单位格被改报错。
#[test]
fn overall_plan_rows_keep_their_lead() {
    let mut e = form(OVERALL);
    e.set_str("D5", "1.甲")
        .set_str("E5", "3月")
        .set_str("D13", "1.乙")
        .set_str("E13", "4月")
        .set_str("D17", "1.丙")
        .set_str("E17", "5月");
    let ev = eval(&e);
    assert_eq!(ev.outcome, Outcome::Accepted, "{:#?}", lines(&ev));
    let sub = ev.submission.unwrap();
    let leads: Vec<Vec<&str>> = sub
        .plan
        .iter()
        .map(|t| t.rows.iter().map(|r| r.lead.as_str()).collect())
        .collect();
    assert_eq!(
        leads,
        [
            vec!["区发改局"],
            vec!["区商务局", "区商务局"],
            vec!["区住建局"],
            vec!["区发改局"]
        ]
    );
    // 整理后的 TOML 经手写报送的解析器读回无误。
    let text = duban::submissions::to_toml(&sub, &[]);
    let p = crate::support::project();
    let mut d = duban::diag::Diagnostics::new();
    let back =
        duban::submissions::parse_str(&text, "x.toml", &p.registry, &p.catalogue, &mut d).unwrap();
    assert!(d.is_empty(), "{:?}\n{text}", d.sorted());
    assert_eq!(back.plan[2].rows[0].content, "乙");
    e.set_str("C13", "区财政局");
    expect(&eval(&e), Outcome::Returned, "错误 总体办理方案!C13：第3项的牵头单位“区财政局”不对（锁定格）（提示：这项任务的牵头单位是：区住建局）");
}

/// 附表2：缺人、重复、多出的行。
#[test]
fn contacts_rows() {
    let mut e = form(CONTACTS);
    e.set_str("B4", "张三")
        .set_str("B5", "李四")
        .set_str("B6", "王五");
    assert_eq!(eval(&e).outcome, Outcome::Accepted);
    e.insert_row_after(6).set_str("B7", "赵六");
    expect(&eval(&e), Outcome::Returned, "错误 附表2!B7：经办人下面多出的一行未读取（提示：附表2 每人一行；有多位经办人的，只填一位）");
    let mut e = form(CONTACTS);
    e.set_str("B4", "张三")
        .set_str("B5", "李四")
        .set_str("F6", "person=leader");
    let l = lines(&eval(&e));
    assert!(
        l.contains(&"错误 附表2!A6：分管领导出现了两次（提示：每人只填一行）".to_string()),
        "{l:#?}"
    );
    assert!(
        l.contains(
            &"错误 附表2：缺少经办人一行（提示：请用下发的表重新填报，不要删行）".to_string()
        ),
        "{l:#?}"
    );
}

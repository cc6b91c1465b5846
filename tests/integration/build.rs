//! `duban build` 全流程：夹具项目（手写的真实格式通知 + 登记册 + 报送数据）→ PDF 与 XLSX。

use crate::support::{self, pdftotext, squash};
use std::path::{Path, PathBuf};
use std::process::Command;

fn build(out: &Path, extra: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    build_project(&support::fixture("build/duban.toml"), out, extra, envs)
}

/// `duban -c <cfg> build --out <out> <extra>`。
fn build_project(
    cfg: &Path,
    out: &Path,
    extra: &[&str],
    envs: &[(&str, &str)],
) -> std::process::Output {
    let mut args = vec![
        "-c",
        cfg.to_str().unwrap(),
        "build",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    support::duban_with(&args, envs)
}

/// 文书（任务清单、催报通知）：按版面提取。
fn pdftext(p: &Path) -> String {
    pdftotext(p, &["-layout"])
}

/// 表单：按内容流顺序提取，单元格内折行的文字连在一起，去空白后可整串比较。
fn pdfraw(p: &Path) -> String {
    pdftotext(p, &["-raw"])
}

/// 第 1 页上恰为 `word` 的词的框（pdftotext -bbox，单位 pt）：(xMin, yMin, xMax, yMax)。
fn word_box(pdf: &Path, word: &str) -> (f64, f64, f64, f64) {
    let o = support::run_tool(
        Command::new("pdftotext")
            .args(["-bbox", "-f", "1", "-l", "1"])
            .arg(pdf)
            .arg("-"),
    );
    let bbox = String::from_utf8_lossy(&o.stdout);
    let line = bbox
        .lines()
        .find(|l| l.contains(&format!(">{word}<")))
        .unwrap_or_else(|| panic!("{} 第 1 页没有“{word}”：{bbox}", pdf.display()));
    let num = |k: &str| -> f64 {
        let at = line.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
        line[at..].split('"').next().unwrap().parse().unwrap()
    };
    (num("xMin"), num("yMin"), num("xMax"), num("yMax"))
}

fn built(name: &str) -> PathBuf {
    let dir = support::temp_dir(name);
    let out = dir.join("out");
    // 附带催报通知（--reminders），一并核对它的版式。
    let o = build(&out, &["--reminders"], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("区人民政府各部门"),
        "无成员群体短语的警告：{stderr}"
    );
    assert!(stdout.contains("单位数 8"), "{stdout}");
    assert!(
        stdout.contains("文件数") && stdout.contains("页数") && stdout.contains("用时"),
        "{stdout}"
    );
    out
}

#[test]
fn packets_by_role_pdf_text() {
    let out = built("build-roles");
    // 总牵头单位：任务清单分“作为总牵头单位”“作为牵头单位”，期限含总体办理方案 2月23日。
    let t = squash(&pdftext(&out.join("区发改局/01-任务清单.pdf")));
    assert!(t.contains("区发改局任务清单"), "{t}");
    assert!(
        t.contains("根据《2023年区〈政府工作报告〉主要目标任务责任分解方案》"),
        "{t}"
    );
    assert!(t.contains("作为总牵头单位（4项）"), "{t}");
    assert!(t.contains("作为牵头单位（2项）"), "{t}");
    // 印刷用全角标点：通知原文的“,”在 PDF 里是“，”（任务目录和 XLSX 保留原文）。
    assert!(
        t.contains("聚焦交通同网，加快推动过江通道等项目建设。"),
        "{t}"
    );
    // 第 1、4 项既在总牵头一节又在牵头一节：全文只印一次，后一节只列序号和单位。
    assert_eq!(t.matches("聚焦交通同网").count(), 1, "{t}");
    assert_eq!(t.matches("抢抓车光产业").count(), 1, "{t}");
    // 不再有“1.第1项”这样的重号。
    assert!(
        t.contains("第1项，正文见前（总牵头单位：区发改局；牵头单位：区发改局；责任单位：区商务局、郑店街道办事处）"),
        "{t}"
    );
    assert!(t.contains("第4项，正文见前"), "{t}");
    assert!(!t.contains("1.第1项") && !t.contains("2.第4项"), "{t}");
    // 期限表在开头（“一、报送期限”在各节之前）。
    assert!(
        t.find("一、报送期限").unwrap() < t.find("作为总牵头单位").unwrap(),
        "{t}"
    );
    assert!(
        t.contains("总体办理方案") && t.contains("2023年2月23日"),
        "{t}"
    );
    let t = squash(&pdfraw(&out.join("区发改局/03-附表1-总体办理方案.pdf")));
    assert!(t.contains("区发改局区《政府工作报告》总体办理方案"), "{t}");
    assert!(t.contains("1.梳理关键零部件项目清单"), "{t}");

    // 纯牵头单位：附表1 标题、单位行、第 2 项任务与已报行。
    let t = squash(&pdfraw(&out.join("区商务局/02-附表1-办理方案.pdf")));
    for want in [
        "附表1",
        "区商务局区《政府工作报告》办理方案",
        "单位：区商务局",
        "主要负责人（签字）：",
        "序号",
        "责任事项",
        "具体工作内容",
        "完成时间（按月）",
        "分管领导",
        "责任部门",
        "大力引进“三电”等关键零部件项目",
        "1.梳理关键零部件项目清单",
        "3月",
        "投资促进科",
        "4.",
    ] {
        assert!(t.contains(want), "缺 {want}：{t}");
    }
    // 期限表（表格按内容流提取，在清单开头）：办理方案报总牵头单位区发改局，2月15日。
    let t = squash(&pdfraw(&out.join("区商务局/01-任务清单.pdf")));
    assert!(
        t.contains("办理方案（附表1）总牵头单位区发改局2023年2月15日"),
        "{t}"
    );

    // 纯责任单位：只有任务清单与附表2（和催报通知），清单写明向谁报。
    let t = squash(&pdftext(&out.join("区财政局/01-任务清单.pdf")));
    assert!(t.contains("作为责任单位（3项）"), "{t}");
    assert!(t.contains("牵头单位：区住建局"), "{t}");
    assert!(!out.join("区财政局").read_dir().unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("附表1")));

    // 经“各街道办事处”点到的街道：自己按季度报的第三部分第 1 项印全文并标明经由，
    // 办理情况报牵头单位的列在“经群体短语列入的任务”一节；附表3 有第三部分第 1 项。
    let t = squash(&pdftext(&out.join("金口街道办事处/01-任务清单.pdf")));
    assert!(t.contains("本单位经“各街道办事处”列入"), "{t}");
    assert!(t.contains("经群体短语列入的任务（"), "{t}");
    let t = squash(&pdfraw(
        &out.join("金口街道办事处/03-附表3-2023年第二季度完成情况.pdf"),
    ));
    assert!(t.contains("金口街道办事处第二季度工作目标完成情况"), "{t}");
    assert!(t.contains("旗帜鲜明讲政治"), "{t}");
    assert!(t.contains("备注：为便于统计"), "{t}");

    // 两个总牵头单位的组：区住建局也出总体办理方案（第 3、4 项）。
    let t = squash(&pdfraw(&out.join("区住建局/03-附表1-总体办理方案.pdf")));
    assert!(
        t.contains("聚焦规划同编") && t.contains("聚焦交通同网"),
        "{t}"
    );
    assert!(!t.contains("大力引进"), "不含另一组的任务：{t}");
    // 无总牵头单位的组：牵头单位区民政局报附表3。
    let t = squash(&pdfraw(
        &out.join("区民政局/04-附表3-2023年第二季度完成情况.pdf"),
    ));
    assert!(t.contains("完善分层分类社会救助制度体系"), "{t}");

    // 催报通知：2月8日，附表2 于 2月15日到期且未报（区财政局）。
    let t = squash(&pdfraw(&out.join("区财政局/03-催报通知.pdf")));
    assert!(
        t.contains("催报通知")
            && t.contains("督办工作人员名单（附表2）")
            && t.contains("zfducha@163.com"),
        "{t}"
    );
    // 附表1 横排（GB/T 9704：纸张仍为纵向 A4，表格转 90°，页码留在纵向位置），页面带 /Rotate 90，
    // 阅读器顺时针转过来显示：-bbox 的坐标按显示方向，“附表1”一词横着（宽大于高）、在左上角。
    let plan = out.join("区商务局/02-附表1-办理方案.pdf");
    let info = Command::new("pdfinfo").arg(&plan).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Page", "rot:", "90"]),
        "{info}"
    );
    let (x0, y0, x1, y1) = word_box(&plan, "附表1");
    assert!(
        x1 - x0 > y1 - y0 && x0 < 150.0 && y0 < 150.0,
        "附表1 应横着显示：{:?}",
        (x0, y0, x1, y1)
    );
    // 催报通知的落款（GB/T 9704）：成文日期右空四字（版心右缘 28+156 mm，减 4 个 3 号字），
    // 发文机关以成文日期为中心。
    let reminder = out.join("区财政局/03-催报通知.pdf");
    let (d0, _, d1, _) = word_box(&reminder, "2023年2月8日");
    let (i0, _, i1, _) = word_box(&reminder, "测试区人民政府办公室");
    let right_edge = (28.0 + 156.0) / 25.4 * 72.0;
    assert!(
        (d1 - (right_edge - 4.0 * 16.0)).abs() < 1.0,
        "日期右缘 {d1}"
    );
    assert!(
        ((i0 + i1) / 2.0 - (d0 + d1) / 2.0).abs() < 1.0,
        "署名居中于日期"
    );
    // 总表与索引。
    let t = squash(&pdfraw(&out.join("00-责任分解总表.pdf")));
    assert!(t.contains("区发改局、区住建局"), "{t}");
    let index = std::fs::read_to_string(out.join("文件清单.csv")).unwrap();
    assert!(index.contains("区商务局/02-附表1-办理方案.pdf"), "{index}");
}

#[test]
fn identical_bytes_across_runs_and_threads() {
    let a = support::temp_dir("det-a").join("out");
    let b = support::temp_dir("det-b").join("out");
    build(&a, &[], &[("RAYON_NUM_THREADS", "1")]);
    build(&b, &[], &[("RAYON_NUM_THREADS", "2")]);
    let mut n = 0;
    for e in walkdir::WalkDir::new(&a) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&a).unwrap();
            let other = std::fs::read(b.join(rel)).unwrap();
            assert!(
                std::fs::read(e.path()).unwrap() == other,
                "{} 不同",
                rel.display()
            );
            n += 1;
        }
    }
    assert!(n > 20, "{n}");
}

#[test]
fn today_priority_and_unit_filter() {
    let dir = support::temp_dir("today");
    let out = dir.join("out");
    // SOURCE_DATE_EPOCH 优先于 duban.toml；--today 又优先于它。1677196800 = 2023-02-24。
    let o = build(
        &out,
        &["--unit", "区财政局(金融办)"],
        &[("SOURCE_DATE_EPOCH", "1677196800")],
    );
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("2023年2月24日") && s.contains("单位数 1"), "{s}");
    let o = build(
        &out,
        &[
            "--unit",
            "区财政局",
            "--today",
            "2023-03-01",
            "--quarter",
            "2023Q3",
        ],
        &[("SOURCE_DATE_EPOCH", "1677196800")],
    );
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("2023年3月1日") && s.contains("2023年第三季度"),
        "{s}"
    );
    let o = build(&out, &["--unit", "区不存在局"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("duban units"));
}

#[test]
fn refuses_to_overwrite_foreign_directory() {
    let dir = support::temp_dir("foreign");
    std::fs::write(dir.join("重要.docx"), b"user").unwrap();
    let o = build(&dir, &["--no-pdf"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("不是 duban 生成的"));
    assert_eq!(std::fs::read(dir.join("重要.docx")).unwrap(), b"user");
}

#[test]
fn outputs_open_in_libreoffice() {
    let out = built("build-lo");
    let conv = support::temp_dir("lo");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        conv.join("profile").display()
    );
    // XLSX：Calc 打开并转 PDF。
    let xlsx = [
        "区商务局/02-附表1-办理方案.xlsx",
        "区发改局/05-附表3-2023年第二季度完成情况.xlsx",
        "00-责任分解总表.xlsx",
    ];
    support::require_libreoffice_draw();
    let o = support::run_tool(
        Command::new("soffice")
            .arg(&profile)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(conv.join("xlsx"))
            .args(xlsx.iter().map(|f| out.join(f))),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_dir(conv.join("xlsx")).unwrap().count(), 3);
    // PDF：Draw 导入再导出，文字仍在。
    let pdf = [
        "区商务局/01-任务清单.pdf",
        "区商务局/02-附表1-办理方案.pdf",
        "金口街道办事处/03-附表3-2023年第二季度完成情况.pdf",
    ];
    let o = support::run_tool(
        Command::new("soffice")
            .arg(&profile)
            .args([
                "--headless",
                "--infilter=draw_pdf_import",
                "--convert-to",
                "pdf:draw_pdf_Export",
                "--outdir",
            ])
            .arg(conv.join("pdf"))
            .args(pdf.iter().map(|f| out.join(f))),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = squash(&pdfraw(&conv.join("pdf/02-附表1-办理方案.pdf")));
    assert!(t.contains("区商务局区《政府工作报告》办理方案"), "{t}");
    assert_eq!(std::fs::read_dir(conv.join("pdf")).unwrap().count(), 3);
}

/// 任务清单与催报通知的 Markdown（内置模板 + 视图结构）快照：纯责任单位、经“各街道办事处”点到的街道。
#[test]
fn tasklist_and_reminder_markdown_snapshot() {
    use duban::date::Date;
    use duban::forms::letters::{reminder_view, REMINDER_TEMPLATE, TASKLIST_TEMPLATE};
    use duban::forms::tasklist::tasklist_view;
    use duban::schedule::{due_items, reminders};
    use duban::submissions::Submissions;

    let mut project = support::project();
    project.submissions = Submissions::default();
    let (cat, schedule) = (&project.catalogue, &project.schedule);
    let today = Date::parse("2023-02-16").unwrap();
    let issuer = &project.config.project.issuer;
    let mut all = String::new();
    for unit in ["区财政局", "金口街道办事处"] {
        let d = project.duties.get(unit).unwrap();
        let items = due_items(cat, d, &project.submissions, schedule);
        let v = tasklist_view(cat, d, &items, schedule, issuer, today);
        all += &project.templates.render(TASKLIST_TEMPLATE, &v).unwrap();
        let r = reminders(&items, today, 7);
        let v = reminder_view(
            cat,
            unit,
            &r,
            schedule,
            &project.config,
            "督办〔2023〕1号",
            today,
        );
        all += &project.templates.render(REMINDER_TEMPLATE, &v).unwrap();
    }
    insta::assert_snapshot!(all);
}

/// 报送数据里有任何内置字体都没有的字：构建照常完成，警告写明文档、单位、字和码位（每份文档每字一次），
/// 版面上以“〓”占位，但 PDF 文本层仍是原字。
#[test]
fn missing_glyph_is_reported_and_text_kept() {
    let out = support::temp_dir("missing-glyph").join("out");
    let cfg = support::fixture("missing-glyph/duban.toml");
    let o = support::duban_with(
        &[
            "-c",
            cfg.to_str().unwrap(),
            "build",
            "--out",
            out.to_str().unwrap(),
            "--unit",
            "区商务局",
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let want = "警告：区商务局/02-附表1-办理方案.pdf（区商务局）：所有字体都缺字“𠀀”（U+20000），已用“〓”占位";
    assert_eq!(stderr.matches(want).count(), 1, "{stderr}");
    assert!(
        !stderr.contains("已改用"),
        "没有可回退的字体，不应说已改用：{stderr}"
    );
    assert_eq!(
        stderr.matches("U+20000").count(),
        1,
        "只有附表1 含此字：{stderr}"
    );
    let t = squash(&pdfraw(&out.join("区商务局/02-附表1-办理方案.pdf")));
    assert!(t.contains("走访𠀀氏零部件企业"), "{t}");
    assert!(!t.contains('〓'), "文本层是原字而非占位符：{t}");
}

#[test]
fn unit_and_quarter_arguments_are_checked() {
    let dir = support::temp_dir("unit-quarter");
    let out = dir.join("out");
    // 写错的单位名：中文报错并给出登记册的建议，不生成任何文件。
    let o = build(&out, &["--unit", "区财政句", "--no-pdf"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("你是不是要找“区财政局”？"), "{err}");
    assert!(!out.join("区财政局").exists());
    // 季度格式不对：在加载项目前就报错。
    let o = build(&out, &["--quarter", "2023Q5", "--no-pdf"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--quarter：季度“2023Q5”格式不对"), "{err}");
    // 早于 quarterly_from 的季度：只警告，照样按该季度生成；别名与规范名指同一单位，只生成一次。
    let o = build(
        &out,
        &[
            "--unit",
            "区财政局(金融办)",
            "--unit",
            "区财政局",
            "--quarter",
            "2023Q1",
            "--no-pdf",
        ],
        &[],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        err.contains("警告：命令行 --quarter：季度 2023Q1 早于 duban.toml [deadlines] quarterly_from（2023Q2）"),
        "{err}"
    );
    assert!(
        s.contains("单位数 1") && s.contains("附表3 为2023年第一季度"),
        "{s}"
    );
    assert!(out.join("区财政局").is_dir());
}

/// 重新生成：本次不再生成的旧文件（换季度后的上季度附表3）被删除并报告；用户自己放进来的文件不动；
/// `--unit` 只生成部分单位时，其他单位的文件和清单条目保留。
#[test]
fn rebuild_removes_stale_outputs_but_keeps_user_files() {
    let dir = support::temp_dir("stale");
    let out = dir.join("out");
    let q2 = "金口街道办事处/03-附表3-2023年第二季度完成情况.xlsx";
    let q3 = "金口街道办事处/03-附表3-2023年第三季度完成情况.xlsx";
    let o = build(&out, &["--no-pdf", "--quarter", "2023Q2"], &[]);
    // 夹具里有故意写错的报送数据：报错（退出码 1）但照常生成。
    assert_ne!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.join(q2).exists());
    std::fs::write(out.join("金口街道办事处/我的备注.txt"), "用户文件").unwrap();

    // 只生成区商务局的第三季度：金口的第二季度文件不在范围内，保留。
    let o = build(
        &out,
        &["--no-pdf", "--quarter", "2023Q3", "--unit", "区商务局"],
        &[],
    );
    assert_ne!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.join(q2).exists(), "--unit 之外的单位文件被删了");
    let index = std::fs::read_to_string(out.join("文件清单.csv")).unwrap();
    assert!(index.contains(q2), "部分生成后索引丢了其他单位：{index}");

    let o = build(&out, &["--no-pdf", "--quarter", "2023Q3"], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_ne!(o.status.code(), Some(2), "{stderr}");
    assert!(!out.join(q2).exists(), "过期的第二季度附表3 仍在");
    assert!(out.join(q3).exists());
    assert!(
        stderr.contains(&format!("已删除过期文件：{q2}")),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("金口街道办事处/我的备注.txt")).unwrap(),
        "用户文件"
    );
    let index = std::fs::read_to_string(out.join("文件清单.csv")).unwrap();
    assert!(index.contains(q3) && !index.contains(q2), "{index}");
    // 索引与目录一致：列出的文件都在，目录里 duban 生成的文件都列出。
    for line in index.lines().skip(1) {
        let rel = line.split(',').nth(1).unwrap().trim_matches('"');
        assert!(out.join(rel).exists(), "索引列出了不存在的 {rel}");
    }
}

/// 把夹具项目复制到 `dir`，每个文本文件经 `convert` 改写（模拟 Windows 上另存的文件）。
/// 记事本“UTF-8（带 BOM）”加 CRLF：通知、登记册、报送文件、模板覆盖都照常读，结果与 LF 无 BOM 相同。
#[test]
fn bom_and_crlf_files_from_windows_work() {
    let dir = support::temp_dir("build-bom-crlf");
    let windows = |_: &Path, b: Vec<u8>| -> Vec<u8> {
        let text = String::from_utf8(b).unwrap().replace('\n', "\r\n");
        [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat()
    };
    let cfg = support::copy_fixture_project(&dir, &windows);
    // 模板覆盖（templates/ 下同名文件）同样带 BOM：第一行“# 标题”仍须是标题，不能印出“#”。
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    let builtin = include_str!("../../src/assets/templates/tasklist.md.tera");
    std::fs::write(
        dir.join("templates/tasklist.md.tera"),
        windows(Path::new(""), builtin.as_bytes().to_vec()),
    )
    .unwrap();
    let out = dir.join("out");
    let o = build_project(&cfg, &out, &[], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let reference = built("build-bom-crlf-ref");
    for f in [
        "区发改局/01-任务清单.pdf",
        "区商务局/02-附表1-办理方案.pdf",
        "区发改局/05-附表3-2023年第二季度完成情况.pdf",
    ] {
        let got = pdftext(&out.join(f));
        assert_eq!(got, pdftext(&reference.join(f)), "{f}");
    }
    let t = pdftext(&out.join("区发改局/01-任务清单.pdf"));
    assert!(!t.contains('#'), "{t}");
}

/// GBK（“ANSI”）编码的通知：中文错误，指出文件与行，提示另存为 UTF-8；不 panic，不出乱码材料。
#[test]
fn gbk_notice_is_a_clear_error() {
    let dir = support::temp_dir("build-gbk");
    let cfg = support::copy_fixture_project(&dir, &|p: &Path, b: Vec<u8>| -> Vec<u8> {
        if p.ends_with("notice.txt") {
            // “关于通知”的 GBK 编码，放在第 2 行。
            b"title\n\xb9\xd8\xd3\xda\xcd\xa8\xd6\xaa\n".to_vec()
        } else {
            b
        }
    });
    let out = dir.join("out");
    let o = build_project(&cfg, &out, &[], &[]);
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("notice.txt:2：通知原文不是 UTF-8 编码"),
        "{stderr}"
    );
    assert!(stderr.contains("“另存为”时编码选“UTF-8”"), "{stderr}");
    assert!(!stderr.contains("stream did not contain"), "{stderr}");
    assert!(!out.exists());
}

/// 第一次下发（build 不带 --reminders）：谁都没有催报通知，打印合订本里也没有。
#[test]
fn first_distribution_has_no_reminders() {
    let out = support::temp_dir("no-reminders").join("out");
    let o = build(&out, &["--today", "2023-02-16"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reminders: Vec<_> = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("催报通知"))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(reminders.is_empty(), "{reminders:?}");
    let csv = std::fs::read_to_string(out.join("文件清单.csv")).unwrap();
    assert!(!csv.contains("催报通知"), "{csv}");
}

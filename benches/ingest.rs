//! 报回件导入基准（std::time，无 criterion）：`cargo bench --bench ingest`。
//!
//! 1. 一个区的全部报回：随附项目（真实通知、68 个单位）按每项任务 3 条具体工作内容、每人姓名电话、
//!    每项完成情况造好报送数据，生成全部附表1、总体办理方案、附表2、附表3 的 XLSX（即“填好的表”），
//!    再一次 `ingest` 进空的报回件库；另量纯读回（`evaluate`）与再导入（全部未改动）。
//! 2. 恶意文件：50 MB 的文件、压缩炸弹、几十万行的表——各在一个子进程里导入，报告用时与峰值内存
//!    （VmHWM），与只加载项目的子进程比较。

use duban::date::{Date, Quarter};
use duban::ingest::{evaluate, ingest, IngestOptions};
use duban::plan::{plan, PlanOptions};
use duban::submissions::{FormKind, Person, PlanRow, PlanTask, Status, Submission, Submissions};
use duban::Project;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// 随附项目，报回件库放到 `store`。
fn project(store: &Path) -> Project {
    let mut p = Project::load(&root().join("duban.toml")).expect("加载随附项目");
    p.config.paths.received = store.to_path_buf();
    p
}

/// 每个单位都报齐的数据：据此生成的 XLSX 就是“填好的表”。
fn full_submissions(p: &Project, q: Quarter) -> Submissions {
    let mut files = Vec::new();
    for d in &p.duties.units {
        let mut plan = Submission::new(&d.unit, FormKind::Plan);
        for i in d.tasks_with(duban::duties::Role::Lead) {
            let id = p.catalogue.tasks[i].id.clone();
            let rows = (1..=3)
                .map(|k| PlanRow {
                    content: format!("第{id}项的第{k}条具体工作内容：明确目标、措施和进度安排"),
                    month: Some(k * 3),
                    leader: "分管副局长".into(),
                    department: "综合科".into(),
                    lead: String::new(),
                    line: 0,
                })
                .collect();
            plan.plan.push(PlanTask {
                id,
                known: true,
                rows,
                line: 0,
            });
        }
        files.push(plan);
        let mut c = Submission::new(&d.unit, FormKind::Contacts);
        let person = |n: &str| {
            Some(Person {
                name: n.into(),
                title: "科长".into(),
                office_phone: "027-81234567".into(),
                mobile: "13800000000".into(),
            })
        };
        (c.leader, c.office_head, c.clerk) = (person("张三"), person("李四"), person("王五"));
        files.push(c);
        let mut s = Submission::new(&d.unit, FormKind::Quarterly);
        s.quarter = Some(q);
        for &i in &d.quarterly {
            let id = p.catalogue.tasks[i].id.clone();
            s.statuses.push(Status {
                text: format!("第{id}项本季度进展顺利，完成年度目标的一半。"),
                id,
                known: true,
                line: 0,
            });
        }
        files.push(s);
    }
    Submissions {
        files,
        ..Default::default()
    }
}

/// 生成全部单位填好的 XLSX，写进 `inbox`，返回文件数。
fn filled_returns(inbox: &Path) -> usize {
    let mut p = project(inbox);
    let today = Date::parse("2023-02-08").unwrap();
    let q = Quarter::parse("2023Q2").unwrap();
    p.submissions = full_submissions(&p, q);
    let bp = plan(
        &p,
        &PlanOptions {
            today,
            quarter: q,
            only: Vec::new(),
            reminders: false,
        },
    );
    let r = duban::render::render_all(&p, &bp, None, &|| {}).unwrap();
    let mut n = 0;
    for f in r.files.iter().filter(|f| !f.unit.is_empty()) {
        let path = inbox.join(f.rel.to_string_lossy().replace(['/', '\\'], "-"));
        std::fs::write(path, &f.bytes).unwrap();
        n += 1;
    }
    n
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--hostile") {
        return hostile_child(&args[i + 1], Path::new(&args[i + 2]));
    }
    let base = std::env::temp_dir().join(format!("duban-bench-ingest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let inbox = base.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let files = filled_returns(&inbox);
    let bytes: u64 = std::fs::read_dir(&inbox)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    println!("报回件：{files} 个 XLSX，共 {bytes} 字节（随附项目全部单位的附表1、总体办理方案、附表2、附表3）");
    let opts = IngestOptions {
        received: Date::parse("2023-02-14").unwrap(),
        dry_run: false,
    };

    // 纯读回：读、认表、分块、校验（不写文件）。
    let p = project(&base.join("unused"));
    let all: Vec<(String, Vec<u8>)> = std::fs::read_dir(&inbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    let eval_times: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            for (n, b) in &all {
                std::hint::black_box(evaluate(&p, n, b, opts.received));
            }
            ms(t.elapsed())
        })
        .collect();

    // 整批导入空库（含保存原件、整理数据、登记簿、退回说明），再导入一次（全部未改动）。
    let mut first = Vec::new();
    let mut again = Vec::new();
    let mut counts = String::new();
    for run in 0..5 {
        let store = base.join(format!("store{run}"));
        let p = project(&store);
        let t = Instant::now();
        let r = ingest(&p, std::slice::from_ref(&inbox), &opts).unwrap();
        first.push(ms(t.elapsed()));
        let t = Instant::now();
        ingest(&p, std::slice::from_ref(&inbox), &opts).unwrap();
        again.push(ms(t.elapsed()));
        let c = |o| r.files.iter().filter(|f| f.result == o).count();
        use duban::submissions::received::Outcome::*;
        counts = format!(
            "已接收 {}，退回 {}（退回说明 {} 个文件）",
            c(Accepted),
            c(Returned),
            r.letters.len()
        );
    }
    println!("结果：{counts}");
    println!(
        "纯读回（evaluate）全部文件   中位 {:>7.1} ms",
        median(eval_times)
    );
    println!(
        "导入空库（写原件、数据、登记簿） 中位 {:>7.1} ms",
        median(first)
    );
    println!(
        "再导入（全部未改动）         中位 {:>7.1} ms",
        median(again)
    );
    hostile(&base);
    let _ = std::fs::remove_dir_all(&base);
}

/// 造恶意文件，每个在子进程里导入，报告用时与峰值内存。
fn hostile(base: &Path) {
    let dir = base.join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    // 50 MB：超过 32 MB 上限，不解析，流式算 SHA-256 并保存原件。
    let mut big = b"PK\x03\x04".to_vec();
    big.resize(50 << 20, 0x5a);
    std::fs::write(dir.join("50MB.xlsx"), &big).unwrap();
    // 压缩炸弹：1 GB 的工作表压成约 1 MB，外加 29 MB 不压缩的“图片”，文件约 30 MB。
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("xl/workbook.xml", deflate).unwrap();
    w.write_all(b"<workbook/>").unwrap();
    w.start_file("xl/media/image1.png", stored).unwrap();
    w.write_all(&vec![7u8; 29 << 20]).unwrap();
    w.start_file("xl/worksheets/sheet1.xml", deflate).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        w.write_all(&chunk).unwrap();
    }
    std::fs::write(dir.join("炸弹.xlsx"), w.finish().unwrap().into_inner()).unwrap();
    // 30 万行：真实表的结构，每行一格（工作表 XML 约 20 MB，在部件上限之内），非空格子超过上限。
    let real = std::fs::read_dir(base.join("inbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("附表3"))
        .unwrap();
    let mut z = zip::ZipArchive::new(std::fs::File::open(&real).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let rows: String = (100..300_100)
                .map(|r| {
                    format!(r#"<row r="{r}"><c r="C{r}" t="inlineStr"><is><t>x</t></is></c></row>"#)
                })
                .collect();
            data = String::from_utf8(data)
                .unwrap()
                .replace("</sheetData>", &format!("{rows}</sheetData>"))
                .into_bytes();
        }
        out.start_file(name.as_str(), deflate).unwrap();
        out.write_all(&data).unwrap();
    }
    std::fs::write(dir.join("30万行.xlsx"), out.finish().unwrap().into_inner()).unwrap();

    println!("恶意文件（各在独立子进程中导入；对照：只加载项目）");
    for case in ["只加载项目", "50MB.xlsx", "炸弹.xlsx", "30万行.xlsx"] {
        let size = std::fs::metadata(dir.join(case))
            .map(|m| m.len())
            .unwrap_or(0);
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--hostile", case])
            .arg(&dir)
            .output()
            .unwrap();
        print!(
            "  {case:<10} {:>5.1} MB  {}",
            size as f64 / 1048576.0,
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// 子进程：导入一个恶意文件（或只加载项目），打印用时、结果与峰值内存。
fn hostile_child(case: &str, dir: &Path) {
    let p = project(&dir.join(format!("store-{case}")));
    let t = Instant::now();
    let mut what = String::from("—");
    if case != "只加载项目" {
        let opts = IngestOptions {
            received: Date::parse("2023-02-14").unwrap(),
            dry_run: false,
        };
        let r = ingest(&p, &[dir.join(case)], &opts).unwrap();
        what = r.files[0]
            .problems
            .first()
            .map(|x| x.message.clone())
            .unwrap_or_default();
    }
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "未知".into());
    println!(
        "用时 {:>7.1} ms  峰值内存 {peak:>10}  {what}",
        ms(t.elapsed())
    );
}

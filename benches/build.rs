//! 全量构建基准：仓库自带项目（真实通知、登记册、示例报送）的各阶段用时（std::time，无 criterion）。
//!
//! `cargo bench --bench build`。每轮走与 `duban build` 相同的库入口：
//! [`Project::load`] → [`Build::prepare`]（规划）→ [`Build::run`]（字体、渲染、写文件）。

use duban::date::Date;
use duban::{Build, BuildOptions, Project};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("duban-bench-{}", std::process::id()));
    let runs = 5;
    let mut rows: Vec<[Duration; 5]> = Vec::new();
    let mut last = (0, 0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let project = Project::load(&root.join("duban.toml")).expect("加载随附项目");
        let load_t = t.elapsed();
        let opts = BuildOptions {
            out: out.clone(),
            today: Date::parse("2023-02-08").unwrap(),
            quarter: None,
            units: Vec::new(),
            pdf: true,
            reminders: false,
        };
        let build = Build::prepare(&project, &opts).unwrap();
        let report = build.run(&()).unwrap();
        let t = report.timings;
        let total = load_t + t.plan + t.render + t.write;
        rows.push([load_t, t.plan, t.render, t.write, total]);
        last = (report.units, report.files, report.pages);
    }
    let bytes: u64 = walk_size(&out);
    let _ = std::fs::remove_dir_all(&out);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let best = |i: usize| rows.iter().map(|r| ms(r[i])).fold(f64::MAX, f64::min);
    let median = |i: usize| {
        let mut v: Vec<f64> = rows.iter().map(|r| ms(r[i])).collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    println!(
        "单位 {}，文件 {}，PDF 页数 {}，共 {bytes} 字节；线程 {}；{runs} 轮",
        last.0,
        last.1,
        last.2,
        rayon::current_num_threads()
    );
    for (i, name) in ["加载项目", "规划", "渲染", "写文件", "合计"]
        .iter()
        .enumerate()
    {
        println!(
            "{name:<6} 中位 {:>8.2} ms  最快 {:>8.2} ms",
            median(i),
            best(i)
        );
    }
    println!("峰值内存 {}", peak_rss().unwrap_or_else(|| "未知".into()));
}

/// 输出目录中全部文件的字节数。
fn walk_size(dir: &std::path::Path) -> u64 {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.filter_map(|e| e.ok())
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => walk_size(&e.path()),
            _ => e.metadata().map(|m| m.len()).unwrap_or(0),
        })
        .sum()
}

fn peak_rss() -> Option<String> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
}

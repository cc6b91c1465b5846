//! 报送状态基准：随附的全区项目（真实通知 139 项任务、68 个单位）按同一天算 `duban status`。
//!
//! `cargo bench --bench status`。走与命令相同的库入口：[`Project::load`] → [`status::status`] →
//! 各种输出（终端表格、JSON、XLSX、HTML）。日期注入（2023-02-16），不读时钟。目标：整条命令远低于 100 ms。

use duban::date::Date;
use duban::status::{self, StatusOptions};
use duban::Project;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let runs = 30;
    let names = [
        "加载项目",
        "状态模型",
        "终端表格",
        "JSON",
        "XLSX",
        "HTML",
        "加载+模型+表格",
    ];
    let mut rows: Vec<[Duration; 7]> = Vec::new();
    let mut last = (0, 0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let project = Project::load(&root.join("duban.toml")).expect("加载随附项目");
        let load = t.elapsed();
        let opts = StatusOptions {
            as_of: Date::parse("2023-02-16").unwrap(),
            due_soon_days: project.config.status.due_soon_days,
            only: Vec::new(),
        };
        let t = Instant::now();
        let r = status::status(&project, &opts);
        let model = t.elapsed();
        let t = Instant::now();
        let table = status::table::render(&r, false);
        let table_t = t.elapsed();
        let t = Instant::now();
        let json = r.to_json();
        let json_t = t.elapsed();
        let t = Instant::now();
        let xlsx = status::xlsx::workbook(&r, "区人民政府办公室").unwrap();
        let xlsx_t = t.elapsed();
        let t = Instant::now();
        let html = status::html::page(&r, "区人民政府办公室");
        let html_t = t.elapsed();
        rows.push([
            load,
            model,
            table_t,
            json_t,
            xlsx_t,
            html_t,
            load + model + table_t,
        ]);
        last = (
            r.units.len(),
            r.totals.total,
            table.len() + json.len() + xlsx.len() + html.len(),
        );
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let stat = |i: usize| {
        let mut v: Vec<f64> = rows.iter().map(|r| ms(r[i])).collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        (v[v.len() / 2], v[0], v[v.len() - 1])
    };
    println!(
        "单位 {}，报送事项 {}，四种输出共 {} 字节；{runs} 轮",
        last.0, last.1, last.2
    );
    for (i, name) in names.iter().enumerate() {
        let (median, best, worst) = stat(i);
        println!("{name:<10} 中位 {median:>7.2} ms  最快 {best:>7.2} ms  最慢 {worst:>7.2} ms");
    }
}

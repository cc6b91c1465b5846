//! 基准：解析随附的 2023 年通知（不含读文件）。目标远低于 10 ms。
//! 运行：cargo bench --bench catalogue

use duban::registry::Registry;
use std::time::{Duration, Instant};

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let notice = std::fs::read_to_string(root.join("content/notice.txt")).expect("读取通知");
    let units = std::fs::read_to_string(root.join("content/units.toml")).expect("读取登记册");

    let t = Instant::now();
    let (reg, d) = Registry::parse(&units, "units.toml");
    let reg_time = t.elapsed();
    assert!(d.is_empty());

    // 预热一次，并确认结果正确，避免测到的是错误路径。
    let (cat, d) = duban::catalogue::parse(&notice, "notice.txt", &reg);
    assert_eq!(cat.tasks.len(), 139);
    assert!(d.is_empty());

    let runs = 200;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let out = duban::catalogue::parse(&notice, "notice.txt", &reg);
            let e = t.elapsed();
            std::hint::black_box(out);
            e
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("单位登记册解析：{:.3} ms", ms(reg_time));
    println!(
        "通知解析（{} 字节，139 项，{runs} 次）：最快 {:.3} ms，中位 {:.3} ms，最慢 {:.3} ms",
        notice.len(),
        ms(times[0]),
        ms(times[runs / 2]),
        ms(times[runs - 1])
    );
}

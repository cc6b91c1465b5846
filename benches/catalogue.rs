//! 基准：解析随附的 2023 年通知（不含读文件；目标远低于 10 ms），读 .docx 与网页的转换，
//! 以及规模：没有单位括注的 4k–32k 项通知、1k–8k 个单位的登记册。规模一项在数据量翻 8 倍、
//! 用时超过 24 倍（线性约 8 倍，平方级约 64 倍）时以非 0 退出，挡住平方级的回退。
//! 运行：cargo bench --bench catalogue

use duban::registry::Registry;
use std::time::{Duration, Instant};

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut v: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// 没有单位括注的通知（每项都报错误）：解析与诊断的规模。
fn bare_notice(n: usize) -> String {
    let mut s =
        String::from("测试方案\n二、重点工作\n（一）第一章\n——任务组（总牵头单位：区发改局）\n");
    for i in 1..=n {
        s.push_str(&format!("{i}.推进第{i}项工作，完成年度目标任务。\n"));
    }
    s
}

/// n 个单位的登记册：每个单位一个别名，另有一个列出全部成员的群体短语和一个按类别的群体短语。
fn big_registry(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "[[unit]]\nname = \"测试{i}街道办事处\"\nkind = \"街道办事处\"\naliases = [\"测试{i}街道\"]\n\n"
        ));
    }
    let members: Vec<String> = (0..n).map(|i| format!("\"测试{i}街道办事处\"")).collect();
    s.push_str(&format!(
        "[[group]]\nname = \"各测试街道\"\nmembers = [{}]\n\n[[group]]\nname = \"各街道办事处\"\nmember_kind = \"街道办事处\"\n",
        members.join(", ")
    ));
    s
}

/// 按规模测一组，打印每档用时；最大一档与最小一档之比超过 `limit` 时返回 false。
fn scaling(
    what: &str,
    sizes: &[usize],
    limit: f64,
    mut run: impl FnMut(usize) -> Duration,
) -> bool {
    let times: Vec<(usize, Duration)> = sizes.iter().map(|&n| (n, run(n))).collect();
    let line: Vec<String> = times
        .iter()
        .map(|(n, t)| format!("{n}：{:.1} ms", ms(*t)))
        .collect();
    let (n0, t0) = times[0];
    let (n1, t1) = times[times.len() - 1];
    let ratio = t1.as_secs_f64() / t0.as_secs_f64().max(1e-9);
    let ok = ratio <= limit;
    println!(
        "{what}：{}；{}× 数据用时 {ratio:.1}×（上限 {limit}×）{}",
        line.join("，"),
        n1 / n0,
        if ok {
            ""
        } else {
            "——超出，可能是平方级"
        }
    );
    ok
}

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
    println!("单位登记册解析：{:.3} ms", ms(reg_time));
    println!(
        "通知解析（{} 字节，139 项，{runs} 次）：最快 {:.3} ms，中位 {:.3} ms，最慢 {:.3} ms",
        notice.len(),
        ms(times[0]),
        ms(times[runs / 2]),
        ms(times[runs - 1])
    );

    // 读 .docx（LibreOffice 转出的随附通知）与网页：转换成逐行文字的用时。
    let docx = root.join("tests/fixtures/catalogue-input/notice-libreoffice.docx");
    let t = median(50, || {
        std::hint::black_box(duban::catalogue::input::read_notice(&docx).expect("读 .docx"));
    });
    println!("读 .docx 并转成文字（随附通知）：中位 {:.3} ms", ms(t));
    let dir = std::env::temp_dir().join(format!("duban-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("临时目录");
    let page = dir.join("notice.html");
    let body: String = notice.lines().map(|l| format!("<p>{l}</p>")).collect();
    std::fs::write(
        &page,
        format!("<html><body><div class=nav><a>首页</a></div><div>{body}</div></body></html>"),
    )
    .expect("写网页");
    let t = median(50, || {
        std::hint::black_box(duban::catalogue::input::read_notice(&page).expect("读网页"));
    });
    println!("读网页并转成文字（随附通知）：中位 {:.3} ms", ms(t));
    std::fs::remove_dir_all(&dir).ok();

    let mut ok = scaling(
        "没有单位括注的通知（解析与诊断）",
        &[4000, 8000, 16000, 32000],
        24.0,
        |n| {
            let text = bare_notice(n);
            median(5, || {
                std::hint::black_box(duban::catalogue::parse(&text, "n.txt", &reg));
            })
        },
    );
    ok &= scaling(
        "单位登记册（读入、检查、逐个查找）",
        &[1000, 2000, 4000, 8000],
        24.0,
        |n| {
            let text = big_registry(n);
            median(5, || {
                let (r, d) = Registry::parse(&text, "units.toml");
                assert!(d.is_empty());
                for i in 0..n {
                    std::hint::black_box(r.unit(&format!("测试{i}街道")));
                }
                std::hint::black_box(r);
            })
        },
    );
    if !ok {
        std::process::exit(1);
    }
}

//! 全量构建基准：各阶段用时（std::time，无 criterion）。
//!
//! `cargo bench --bench build`。优先加载仓库自带项目（duban.toml → 真实通知）；任务目录解析器
//! 尚未合并时（`project::load` 返回错误）改用同规模的**合成目录**（135 项 + 第三部分 4 项、26 组、
//! 64 个单位），并在输出中注明。PDF 阶段需要字体与渲染器（issue 3），不可用时跳过并注明。

use duban::catalogue::{Catalogue, Chapter, Group, Task, UnitRef};
use duban::config::Config;
use duban::date::Date;
use duban::output::write_all;
use duban::plan::{plan, Schedule};
use duban::render::{render_all, BuildInput, Renderers};
use duban::duties::assign;
use duban::submissions::load_dir;
use duban::templates::Templates;
use duban::typeset::{FontSet, PdfOptions};
use duban::registry::{GroupPhrase, Registry, Unit, UnitKind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn synthetic() -> (Catalogue, Registry) {
    let depts: Vec<String> = (0..50).map(|i| format!("区合成{i:02}局")).collect();
    let streets: Vec<String> = (0..14).map(|i| format!("合成{i:02}街道办事处")).collect();
    let mut reg = Registry::default();
    for d in &depts {
        reg.units.push(Unit {
            name: d.clone(),
            kind: UnitKind::Department,
            aliases: vec![],
        });
    }
    for s in &streets {
        reg.units.push(Unit {
            name: s.clone(),
            kind: UnitKind::Street,
            aliases: vec![],
        });
    }
    reg.groups.push(GroupPhrase {
        name: "各街道办事处".into(),
        aliases: vec![],
        members: streets.clone(),
    });
    let mut cat = Catalogue {
        title: "合成方案".into(),
        source: "合成".into(),
        chapters: vec![
            Chapter {
                part: "二".into(),
                number: "一".into(),
                title: "合成章".into(),
                line: 1,
            },
            Chapter {
                part: "三".into(),
                number: "一".into(),
                title: "合成章".into(),
                line: 2,
            },
        ],
        ..Default::default()
    };
    for g in 0..26 {
        let overall_leads = match g {
            7 | 25 => vec![],
            10 => vec![UnitRef::unit(&depts[0]), UnitRef::unit(&depts[1])],
            _ => vec![UnitRef::unit(&depts[g % 10])],
        };
        cat.groups.push(Group {
            chapter: 0,
            title: format!("合成组{g}"),
            overall_leads,
            line: g,
        });
    }
    let text =
        "加快推进重点项目建设，完善基础设施配套，提升公共服务水平，确保年度目标任务按期完成。"
            .repeat(2);
    for i in 0..135usize {
        cat.tasks.push(Task {
            id: (i + 1).to_string(),
            number: i as u32 + 1,
            chapter: Some(0),
            group: Some(i * 26 / 135),
            text: text.clone(),
            leads: vec![UnitRef::unit(&depts[i % 50])],
            responsible: vec![
                UnitRef::unit(&depts[(i + 7) % 50]),
                UnitRef::unit(&depts[(i + 13) % 50]),
                UnitRef::group("各街道办事处"),
            ],
            line: i + 10,
        });
    }
    for i in 0..4usize {
        cat.tasks.push(Task {
            id: format!("三.{}", i + 1),
            number: i as u32 + 1,
            chapter: Some(1),
            group: None,
            text: text.clone(),
            leads: if i == 1 {
                vec![UnitRef::unit(&depts[3])]
            } else {
                vec![]
            },
            responsible: vec![UnitRef::group("各街道办事处")],
            line: 200 + i,
        });
    }
    (cat, reg)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let t = Instant::now();
    let (cfg, cat, reg, source) = match duban::project::load(&root.join("duban.toml")) {
        Ok(p) => (
            p.config,
            p.catalogue,
            p.registry,
            "仓库自带项目（真实通知）",
        ),
        Err(e) => {
            let (c, r) = synthetic();
            let cfg = Config::load(&root.join("duban.toml")).unwrap_or_default();
            eprintln!("注意：project::load 不可用（{e}），改用同规模合成目录");
            (cfg, c, r, "合成目录（135+4 项，64 个单位）")
        }
    };
    let load = t.elapsed();
    let t = Instant::now();
    let fonts = FontSet::load(&cfg.fonts, &root).ok().map(|(f, _)| f);
    let font_t = t.elapsed();
    let pdf_opts = fonts.as_ref().map(|f| PdfOptions {
        fonts: f,
        pdfa: cfg.pdf.pdfa,
        page_numbers: true,
    });
    let templates = Templates::load(Some(&root.join("templates"))).unwrap();
    let today = Date::parse("2023-02-08").unwrap();
    let schedule = Schedule::from_config(&cfg.deadlines).unwrap();
    let quarter = schedule.default_quarter(today).unwrap();
    let out = std::env::temp_dir().join(format!("duban-bench-{}", std::process::id()));

    let runs = 5;
    let mut rows: Vec<[Duration; 5]> = Vec::new();
    let mut last = (0, 0, 0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let (subs, _) = load_dir(&root.join("content/submissions"), &reg, &cat).unwrap();
        let subs_t = t.elapsed();
        let t = Instant::now();
        let (duties, _) = assign(&cat, &reg);
        let p = plan(&cat, &duties, &subs, &schedule, today, quarter, &[]);
        let plan_t = t.elapsed();
        let input = BuildInput {
            config: &cfg,
            catalogue: &cat,
            registry: &reg,
            duties: &duties,
            submissions: &subs,
            schedule: &schedule,
            plan: &p,
        };
        let r = Renderers {
            pdf: pdf_opts.as_ref(),
            templates: &templates,
        };
        let t = Instant::now();
        let rendered = render_all(&input, &r, &|| {}).unwrap();
        let render_t = t.elapsed();
        let t = Instant::now();
        write_all(&out, &rendered, &Default::default()).unwrap();
        let write_t = t.elapsed();
        let total = subs_t + plan_t + render_t + write_t;
        rows.push([subs_t, plan_t, render_t, write_t, total]);
        last = (
            p.units.len(),
            rendered.files.len(),
            rendered.files.iter().map(|f| f.bytes.len()).sum::<usize>(),
            rendered.files.iter().map(|f| f.pages).sum::<usize>(),
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let best = |i: usize| rows.iter().map(|r| ms(r[i])).fold(f64::MAX, f64::min);
    let median = |i: usize| {
        let mut v: Vec<f64> = rows.iter().map(|r| ms(r[i])).collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    println!(
        "数据：{source}；PDF：{}",
        if pdf_opts.is_some() {
            "生成"
        } else {
            "跳过（渲染器/字体不可用）"
        }
    );
    println!(
        "单位 {}，文件 {}，PDF 页数 {}，共 {} 字节；线程 {}；{runs} 轮",
        last.0,
        last.1,
        last.3,
        last.2,
        rayon::current_num_threads()
    );
    println!(
        "加载项目 {:.2} ms，加载字体 {:.2} ms（每次运行一次）",
        ms(load),
        ms(font_t)
    );
    for (i, name) in ["报送数据", "分工与规划", "渲染", "写文件", "合计"]
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

fn peak_rss() -> Option<String> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
}

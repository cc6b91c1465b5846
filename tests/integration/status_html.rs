//! 督办情况页在真实的无头浏览器（Debian 的 chromium）里：没有控制台错误，脚本跑完，页面上的数字、
//! 图与 JSON 导出一致；地址 # 后的筛选与排序生效；截一张图。`bash .ci/run` 会自动安装 chromium。

use crate::support;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// chromium 可执行文件（Debian 包名 chromium；有的发行版叫 chromium-browser）。
fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser"] {
        if let Some(p) = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
        {
            return p;
        }
    }
    panic!("需要 chromium 才能测试督办情况页：运行 bash .ci/run（会自动 apt-get install chromium），或手动安装");
}

/// 让 chromium 用仓库内置的字体（Noto Sans CJK 等）显示中文：测试机上多半没有装中文字体，
/// 截图里全是方框就看不出什么。只影响测试里的浏览器，页面本身仍只写系统字体名。
fn fontconfig(dir: &Path) -> PathBuf {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/assets/fonts");
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n<dir>{}</dir>\n<cachedir>{}</cachedir>\n</fontconfig>\n",
            fonts.display(),
            dir.join("fc-cache").display()
        ),
    )
    .unwrap();
    conf
}

/// 运行无头 chromium（全新的用户目录、不联网的那些开关），最多等 90 秒。返回（标准输出, 标准错误）。
fn headless(dir: &Path, extra: &[String], url: &str) -> (String, String) {
    let profile = dir.join(format!("profile-{}", extra.len()));
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .env("FONTCONFIG_FILE", fontconfig(dir))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("启动 chromium");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium 90 秒没有结束");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let o = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// 页面的 DOM（脚本运行之后）；断言没有任何控制台输出（错误、未捕获的异常都会出现在这里）。
fn dom(dir: &Path, url: &str) -> String {
    let (out, err) = headless(dir, &["--dump-dom".into()], url);
    let console: Vec<&str> = err.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "控制台有输出：{console:#?}");
    // 脚本跑完才设 data-ready；出过错的页面 <html> 上还会有 data-errors（见页面开头的错误收集）。
    let html_tag = out
        .split("<html")
        .nth(1)
        .and_then(|s| s.split('>').next())
        .unwrap_or("");
    assert_eq!(
        html_tag, " lang=\"zh-CN\" data-ready=\"1\"",
        "脚本没有跑完或出错"
    );
    out
}

/// 某个标签里属性的值。
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(tag[at..].split('"').next()?.to_string())
}

/// 所有以 `open` 开头、含 `marker` 的开始标签，按文档顺序。
fn tags<'a>(html: &'a str, open: &str, marker: &str) -> Vec<&'a str> {
    html.split(open)
        .skip(1)
        .map(|rest| &rest[..rest.find('>').unwrap()])
        .filter(|t| t.contains(marker))
        .collect()
}

fn num(tag: &str, name: &str) -> u64 {
    attr(tag, name)
        .unwrap_or_else(|| panic!("{tag} 没有 {name}"))
        .parse()
        .unwrap()
}

/// 生成页面与同日的 JSON。
fn page(dir: &Path) -> (PathBuf, Value) {
    let cfg = support::fixture("status/duban.toml");
    let html = dir.join("督办情况.html");
    let o = support::duban(&[
        "-c",
        cfg.to_str().unwrap(),
        "status",
        "--as-of",
        "2023-02-24",
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (html, crate::status::json("2023-02-24"))
}

fn url(p: &Path, hash: &str) -> String {
    format!("file://{}{hash}", p.display())
}

#[test]
fn page_renders_in_chromium_and_figures_match_json() {
    let dir = support::temp_dir("status-html");
    let (html, v) = page(&dir);
    let source = std::fs::read_to_string(&html).unwrap();
    // 页尾内嵌的就是同一份 JSON 导出。
    let embedded = source
        .split("<script type=\"application/json\" id=\"status-data\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap()
        .replace("<\\/", "</");
    assert_eq!(serde_json::from_str::<Value>(&embedded).unwrap(), v);

    let d = dom(&dir, &url(&html, ""));
    let t = &v["totals"];
    for (id, key) in [
        ("k-total", "total"),
        ("k-done", "done"),
        ("k-on-time", "on_time"),
        ("k-late", "late"),
        ("k-overdue", "overdue"),
        ("k-due-soon", "due_soon"),
        ("k-not-due", "not_due"),
    ] {
        let tag = tags(&d, "<div ", &format!("id=\"{id}\""))[0];
        assert_eq!(num(tag, "data-value"), t[key].as_u64().unwrap(), "{id}");
    }
    let card = tags(&d, "<div ", "id=\"k-units-overdue\"")[0];
    assert_eq!(
        num(card, "data-value"),
        v["units_overdue"].as_u64().unwrap()
    );
    // 单位表：每个单位一行，数字与 JSON 相同。
    let rows = tags(&d, "<tr ", "data-unit=");
    let units = v["units"].as_array().unwrap();
    assert_eq!(rows.len(), units.len());
    for (row, u) in rows.iter().zip(units) {
        assert_eq!(attr(row, "data-unit").unwrap(), u["unit"].as_str().unwrap());
        for (a, k) in [
            ("data-total", "total"),
            ("data-done", "done"),
            ("data-overdue", "overdue"),
            ("data-due-soon", "due_soon"),
            ("data-not-due", "not_due"),
        ] {
            assert_eq!(
                num(row, a),
                u["counts"][k].as_u64().unwrap(),
                "{} {k}",
                u["unit"]
            );
        }
    }
    assert!(d.contains("显示 8 / 8 个单位"), "脚本写出的计数");
    // 每个单位的明细：事项数与状态。
    for (i, u) in units.iter().enumerate() {
        let part = d.split(&format!("<details id=\"u-{i}\"")).nth(1).unwrap();
        let part = &part[..part.find("</details>").unwrap()];
        let obs = u["obligations"].as_array().unwrap();
        let states: Vec<String> = tags(part, "<tr ", "data-state=")
            .iter()
            .map(|t| attr(t, "data-state").unwrap())
            .collect();
        let want: Vec<String> = obs
            .iter()
            .map(|o| o["state"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(states, want, "{}", u["unit"]);
        for o in obs {
            assert!(
                part.contains(o["label"].as_str().unwrap()),
                "{}：{}",
                u["unit"],
                o["label"]
            );
        }
    }
    // 图：按任务组、按单位的条与按截止日期的柱，数字与 JSON 相同。
    let bars = tags(&d, "<g ", "class=\"bar\"");
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(bars.len(), groups.len() + units.len());
    for (bar, g) in bars.iter().zip(groups) {
        assert_eq!(
            attr(bar, "data-label").unwrap(),
            g["title"].as_str().unwrap()
        );
        assert_eq!(num(bar, "data-done"), g["counts"]["done"].as_u64().unwrap());
        assert_eq!(
            num(bar, "data-overdue"),
            g["counts"]["overdue"].as_u64().unwrap()
        );
    }
    let cols = tags(&d, "<g ", "class=\"col\"");
    let deadlines = v["deadlines"].as_array().unwrap();
    assert_eq!(cols.len(), deadlines.len());
    for (col, dl) in cols.iter().zip(deadlines) {
        assert_eq!(
            attr(col, "data-date").unwrap(),
            dl["date"].as_str().unwrap()
        );
        for (a, k) in [
            ("data-total", "total"),
            ("data-on-time", "on_time"),
            ("data-late", "late"),
            ("data-overdue", "overdue"),
        ] {
            assert_eq!(
                num(col, a),
                dl["counts"][k].as_u64().unwrap(),
                "{} {k}",
                dl["date"]
            );
        }
    }
    // 自带一切：没有外部脚本、样式或字体。
    for banned in ["<script src", "<link ", "@font-face", "url("] {
        assert!(!source.contains(banned), "页面引用了外部资源：{banned}");
    }
}

#[test]
fn filter_and_sort_from_the_address_and_a_screenshot() {
    let dir = support::temp_dir("status-html-filter");
    let (html, v) = page(&dir);
    // 只看有逾期的、按逾期项数从多到少：区财政局（已全部报送）隐藏，可见行按逾期数不增。
    let d = dom(&dir, &url(&html, "#f=overdue&sort=overdue&dir=desc"));
    let rows = tags(&d, "<tr ", "data-unit=");
    let visible: Vec<&&str> = rows.iter().filter(|r| !r.contains(" hidden")).collect();
    let want = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["counts"]["overdue"].as_u64() > Some(0))
        .count();
    assert_eq!(visible.len(), want);
    assert!(rows
        .iter()
        .any(|r| r.contains("data-unit=\"区财政局\"") && r.contains(" hidden")));
    let overdue: Vec<u64> = visible.iter().map(|r| num(r, "data-overdue")).collect();
    assert!(overdue.windows(2).all(|w| w[0] >= w[1]), "{overdue:?}");
    assert!(d.contains(&format!("显示 {want} / 8 个单位")));
    assert!(d.contains("aria-sort=\"descending\""));
    // 文字筛选（中文经地址编码）：只剩两个街道办事处。
    let d = dom(&dir, &url(&html, "#q=%E8%A1%97%E9%81%93"));
    let visible: Vec<String> = tags(&d, "<tr ", "data-unit=")
        .iter()
        .filter(|r| !r.contains(" hidden"))
        .map(|r| attr(r, "data-unit").unwrap())
        .collect();
    assert_eq!(visible, ["郑店街道办事处", "金口街道办事处"]);
    // 截图：整页上半部分（摘要、图、单位表）。
    let png = dir.join("督办情况.png");
    let (_, err) = headless(
        &dir,
        &[
            "--hide-scrollbars".into(),
            "--window-size=1280,1600".into(),
            format!("--screenshot={}", png.display()),
        ],
        &url(&html, ""),
    );
    let bytes = std::fs::read(&png).unwrap_or_else(|_| panic!("没有截图：{err}"));
    assert_eq!(&bytes[1..4], b"PNG");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    assert_eq!(width, 1280);
    assert!(bytes.len() > 30_000, "截图几乎是空白：{} 字节", bytes.len());
    eprintln!("督办情况页截图：{}", png.display());
}

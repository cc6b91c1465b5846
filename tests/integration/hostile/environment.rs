//! 脚本列出的坏输入：配置、命令行参数与环境变量、模板、输出目录状态。

use super::cases::{
    case, cut_mid_char, deep_toml, edit, garbage, make_dir, not_utf8, replace, whole,
};
use super::{check_and_build, run, Case, Sandbox};

const CONFIG: &str = "duban.toml";

/// 配置文件末尾加一段。
fn append(label: &str, text: &'static str) -> Case {
    edit(label, CONFIG, move |mut b| {
        b.extend(text.as_bytes());
        b
    })
}

pub fn config() -> Vec<Case> {
    let today =
        |label: &str, to: &'static str| replace(label, CONFIG, "today = \"2023-02-08\"", to);
    let day = |label: &str, to: &'static str| replace(label, CONFIG, "quarterly_day = 20", to);
    vec![
        today("今天不存在", "today = \"2023-02-30\""),
        today("今天是 0000 年", "today = \"0000-01-01\""),
        today("今天不是日期", "today = \"下周一\""),
        today("今天没加引号", "today = 2023-02-08"),
        today("今天是数字", "today = 20230208"),
        replace("期限不存在", CONFIG, "\"2023-02-15\"", "\"2023-02-30\""),
        replace("期限年份超界", CONFIG, "\"2023-02-23\"", "\"0000-02-23\""),
        replace("期限先后颠倒", CONFIG, "\"2023-02-15\"", "\"2023-03-15\""),
        replace("季度 Q5", CONFIG, "\"2023Q2\"", "\"2023Q5\""),
        replace("季度 9999Q4", CONFIG, "\"2023Q2\"", "\"9999Q4\""),
        replace("季度为空", CONFIG, "\"2023Q2\"", "\"\""),
        day("报送日 40", "quarterly_day = 40"),
        day("报送日 0", "quarterly_day = 0"),
        day("报送日 -1", "quarterly_day = -1"),
        day("报送日 3.5", "quarterly_day = 3.5"),
        day("报送日是文字", "quarterly_day = \"20\""),
        day("报送日超大", "quarterly_day = 99999999999"),
        replace("年度是文字", CONFIG, "year = 2023", "year = \"二〇二三\""),
        append("PDF/A 写成 yes", "\n[pdf]\npdfa = \"yes\"\n"),
        replace("未知的键", CONFIG, "issuer =", "isuer ="),
        append("未知的节", "\n[foo]\nbar = 1\n"),
        append("重复的键", "\n[project]\nyear = 2024\n"),
        replace("字符串没结束", CONFIG, "\"2023-02-08\"", "\"2023-02-08"),
        replace("表头没结束", CONFIG, "[deadlines]", "[deadlines"),
        append("缺键名", "\n= 1\n"),
        append(
            "字体文件不存在",
            "\n[fonts.title]\nfile = \"fonts/没有.ttf\"\n",
        ),
        append(
            "字体文件不是字体",
            "\n[fonts.body]\nfile = \"content/notice.txt\"\n",
        ),
        append("字体文件是目录", "\n[fonts.kai]\nfile = \"content\"\n"),
        append("字体写成文字", "\n[fonts]\ntitle = \"方正小标宋\"\n"),
        append("字族名是数字", "\n[fonts.heading]\nfamily = [1, 2]\n"),
        append("本机字体开关写错", "\n[fonts]\nsystem = \"yes\"\n"),
        append("通知路径不存在", "\n[paths]\nnotice = \"没有.txt\"\n"),
        append("登记册路径不存在", "\n[paths]\nunits = \"没有.toml\"\n"),
        append("通知路径是目录", "\n[paths]\nnotice = \"content\"\n"),
        append("报送文件夹不存在", "\n[paths]\nsubmissions = \"没有\"\n"),
        append(
            "报送文件夹是文件",
            "\n[paths]\nsubmissions = \"duban.toml\"\n",
        ),
        append(
            "模板文件夹是文件",
            "\n[paths]\ntemplates = \"duban.toml\"\n",
        ),
        append("输出位置是文件", "\n[paths]\nout = \"duban.toml\"\n"),
        whole("空配置", CONFIG, Vec::new()),
        edit("GBK 一类的非 UTF-8", CONFIG, not_utf8),
        edit("截在半个字上", CONFIG, cut_mid_char),
        whole("二进制", CONFIG, garbage(1500, 5)),
        whole("2000 层嵌套", CONFIG, deep_toml("x").into_bytes()),
        case("配置不存在", |sb| sb.remove(CONFIG), check_and_build()),
        make_dir("配置是个目录", CONFIG),
        edit("一次写错好几处", CONFIG, |b| {
            String::from_utf8(b)
                .unwrap()
                .replace("2023-02-08", "2023-02-30")
                .replace("quarterly_day = 20", "quarterly_day = 40")
                .replace("\"2023Q2\"", "\"2023Q0\"")
                .replace("issuer =", "isuer =")
                .into_bytes()
        }),
    ]
}

/// 只运行一条命令的用例（不改文件）。
fn cmd(label: &str, args: &[&str]) -> Case {
    case(label, |_| {}, vec![run(args)])
}

/// 带环境变量 SOURCE_DATE_EPOCH 运行。
fn with_epoch(label: &str, value: &str, args: &[&str]) -> Case {
    let mut r = run(args);
    r.envs.push(("SOURCE_DATE_EPOCH".into(), value.into()));
    case(label, |_| {}, vec![r])
}

pub fn cli() -> Vec<Case> {
    let build = |label: &str, extra: &[&str]| {
        let mut args = vec!["build", "--no-pdf", "--out", "out"];
        args.extend_from_slice(extra);
        cmd(label, &args)
    };
    vec![
        build("--today 不存在", &["--today", "2023-02-30"]),
        build("--today 0000 年", &["--today", "0000-01-01"]),
        build("--today 不是日期", &["--today", "abc"]),
        build("--today 为空", &["--today", ""]),
        build(
            "--today 给两次",
            &["--today", "2023-02-08", "--today", "2023-02-09"],
        ),
        build("--quarter Q5", &["--quarter", "2023Q5"]),
        build("--quarter 0001 年", &["--quarter", "0001Q1"]),
        build("--quarter 为空", &["--quarter", ""]),
        build("--unit 不存在", &["--unit", "区不存在局"]),
        build("--unit 为空", &["--unit", ""]),
        build("--unit 写错一个字", &["--unit", "区发改委"]),
        cmd(
            "--out 是文件",
            &["build", "--no-pdf", "--out", "duban.toml"],
        ),
        cmd(
            "--out 在文件下面",
            &["build", "--no-pdf", "--out", "duban.toml/子目录"],
        ),
        cmd(
            "--out 是别人的目录",
            &["build", "--no-pdf", "--out", "content"],
        ),
        cmd("-c 不存在", &["-c", "没有.toml", "check"]),
        cmd("-c 是目录", &["-c", "content", "check"]),
        cmd("未知选项", &["build", "--quater", "2023Q2"]),
        cmd("未知子命令", &["biuld"]),
        cmd("catalogue 格式不对", &["catalogue", "--format", "xml"]),
        cmd(
            "catalogue 通知不存在",
            &["catalogue", "--notice", "没有.txt"],
        ),
        cmd(
            "catalogue 通知是目录",
            &["catalogue", "--notice", "content"],
        ),
        cmd("units 格式不对", &["units", "--format", "xml"]),
        cmd(
            "render 模板不存在",
            &["render", "没有.md.tera", "-o", "x.pdf"],
        ),
        cmd("render 缺 -o", &["render", "notice.md.tera"]),
        cmd(
            "render 数据不存在",
            &[
                "render",
                "notice.md.tera",
                "--data",
                "没有.toml",
                "-o",
                "x.pdf",
            ],
        ),
        case(
            "render 数据写坏",
            |sb| sb.write("数据.toml", "title = \"x\ntasks = [\n"),
            vec![run(&[
                "render",
                "notice.md.tera",
                "--data",
                "数据.toml",
                "-o",
                "x.pdf",
            ])],
        ),
        cmd(
            "render 拿通知当模板",
            &[
                "render",
                "content/notice.txt",
                "-o",
                "x.pdf",
                "--today",
                "2023-02-08",
            ],
        ),
        cmd(
            "templates 导出不存在的",
            &["templates", "--export", "没有.md.tera"],
        ),
        with_epoch(
            "SOURCE_DATE_EPOCH 不是数",
            "abc",
            &["build", "--no-pdf", "--out", "out"],
        ),
        with_epoch(
            "SOURCE_DATE_EPOCH 负数",
            "-1",
            &["build", "--no-pdf", "--out", "out"],
        ),
        with_epoch(
            "SOURCE_DATE_EPOCH 超大",
            "99999999999999",
            &["build", "--no-pdf", "--out", "out"],
        ),
        with_epoch("SOURCE_DATE_EPOCH 给 check", "abc", &["check"]),
        with_epoch(
            "SOURCE_DATE_EPOCH 给 render",
            "1e9",
            &["render", "notice.md.tera", "-o", "x.pdf"],
        ),
    ]
}

/// 模板文件夹里放一个覆盖文件；检查并生成（带 PDF：文书只在出 PDF 时套模板）。
fn tpl(label: &str, name: &'static str, text: impl AsRef<[u8]> + 'static) -> Case {
    case(
        label,
        move |sb| sb.write(&format!("templates/{name}"), text.as_ref()),
        vec![run(&["check"]), run(&["build", "--out", "out"])],
    )
}

pub fn templates() -> Vec<Case> {
    const R: &str = "reminder.md.tera";
    const T: &str = "tasklist.md.tera";
    vec![
        tpl("两个值之间缺运算符", R, "# 催报\n\n{{ issuer unit }}\n"),
        tpl("if 没有 endif", T, "# 清单\n\n{% if issuer %}\n正文\n"),
        tpl("不存在的变量", R, "# 催报\n\n{{ no_such_variable }}\n"),
        tpl("中文变量名", T, "# 清单\n\n{{ 单位 }}\n"),
        tpl(
            "include 不存在",
            R,
            "# 催报\n\n{% include \"没有.md.tera\" %}\n",
        ),
        tpl(
            "过滤器不存在",
            T,
            "# 清单\n\n{{ issuer | no_such_filter }}\n",
        ),
        tpl("extends 不存在", R, "{% extends \"没有.md.tera\" %}\n"),
        tpl("遍历文字", T, "{% for x in issuer %}{{ x }}{% endfor %}\n"),
        tpl("文字做算术", R, "{{ issuer + 1 }}\n"),
        tpl("输出标记没结束", T, "# 清单\n\n{{ issuer\n"),
        tpl(
            "GBK 一类的非 UTF-8",
            R,
            not_utf8("# 催报\n\n{{ issuer }}\n".into()),
        ),
        tpl("截在半个字上", T, cut_mid_char("# 清单清单清单\n".into())),
        tpl("空模板", R, ""),
        tpl("二进制", T, garbage(1500, 9)),
        tpl(
            "一兆字的模板",
            R,
            format!("# 催报\n\n{}\n", "字".repeat(350_000)),
        ),
        tpl("新增模板有错", "附加.md.tera", "{{ 1 + }}\n"),
        case(
            "模板名是目录",
            |sb| std::fs::create_dir_all(sb.path("templates/reminder.md.tera")).unwrap(),
            vec![run(&["check"]), run(&["build", "--out", "out"])],
        ),
    ]
}

/// 先正常生成一次，再把输出目录弄成某种状态，然后重新生成。
fn out_state(label: &str, setup: impl Fn(&Sandbox) + 'static) -> Case {
    case(
        label,
        move |sb| {
            // 先生成一份没有错误的输出（去掉夹具里故意写错的报送，免得有错时不生成）。
            sb.remove(BAD_FIXTURE);
            let o = sb.duban(&run(&["build", "--no-pdf", "--out", "out"]));
            assert!(
                sb.path("out/.duban-out").exists(),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            setup(sb);
        },
        vec![run(&["build", "--no-pdf", "--out", "out"]), run(&["check"])],
    )
}

/// 夹具里故意写错的报送文件。
pub const BAD_FIXTURE: &str = "content/submissions/金口街道办事处-错误示例.toml";

/// 夹具项目生成的一个单位文件夹与其中一个文件。
const UNIT_DIR: &str = "out/区商务局";
const UNIT_FILE: &str = "out/区商务局/02-附表1-办理方案.xlsx";

pub fn output() -> Vec<Case> {
    vec![
        out_state("输出位置是文件", |sb| {
            sb.remove("out");
            sb.write("out", "不是目录");
        }),
        out_state("别人的目录", |sb| {
            sb.remove("out/.duban-out");
        }),
        out_state("清单是乱码", |sb| {
            sb.write("out/.duban-out", garbage(500, 1))
        }),
        out_state("清单不是 UTF-8", |sb| {
            let b = sb.read("out/.duban-out");
            sb.write("out/.duban-out", not_utf8(b));
        }),
        out_state("清单指向外面", |sb| {
            let mut b = sb.read("out/.duban-out");
            b.extend(b"../duban.toml\n/etc/passwd\n..\\\\x\n");
            sb.write("out/.duban-out", b);
        }),
        out_state("清单是目录", |sb| {
            sb.remove("out/.duban-out");
            std::fs::create_dir_all(sb.path("out/.duban-out/x")).unwrap();
        }),
        out_state("索引是目录", |sb| {
            sb.remove("out/文件清单.csv");
            std::fs::create_dir_all(sb.path("out/文件清单.csv/x")).unwrap();
        }),
        out_state("单位文件夹是文件", |sb| {
            sb.remove(UNIT_DIR);
            sb.write(UNIT_DIR, "x");
        }),
        out_state("输出文件是目录", |sb| {
            sb.remove(UNIT_FILE);
            std::fs::create_dir_all(sb.path(UNIT_FILE).join("x")).unwrap();
        }),
        out_state("单位文件夹是指向外面的链接", |sb| {
            sb.remove(UNIT_DIR);
            std::fs::create_dir_all(sb.path("外面")).unwrap();
            std::os::unix::fs::symlink(sb.path("外面"), sb.path(UNIT_DIR)).unwrap();
        }),
        out_state("输出文件是断了的链接", |sb| {
            sb.remove(UNIT_FILE);
            std::os::unix::fs::symlink(sb.path("没有"), sb.path(UNIT_FILE)).unwrap();
        }),
        out_state("残留临时文件", |sb| {
            sb.write("out/区商务局/.02-附表1-办理方案.xlsx.1.tmp", "半截");
        }),
    ]
}

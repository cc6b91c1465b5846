//! 脚本列出的坏输入：通知、登记册、报送（内容文件）；配置、命令行、模板、输出目录见
//! [`super::environment`]，随机生成的见 [`super::random`]。

use super::environment;
use super::random;
use super::{check_and_build, Case, Kind, Run, Sandbox};

const NOTICE: &str = "content/notice.txt";
const UNITS: &str = "content/units.toml";
const SUB: &str = "content/submissions/坏的报送.toml";

/// 七类输入。
pub fn kinds() -> Vec<Kind> {
    vec![
        Kind {
            id: "notice",
            name: "通知 notice.txt",
            cases: notice,
            random: random::notice,
        },
        Kind {
            id: "registry",
            name: "登记册 units.toml",
            cases: registry,
            random: random::registry,
        },
        Kind {
            id: "submission",
            name: "报送 submissions/*.toml",
            cases: submission,
            random: random::submission,
        },
        Kind {
            id: "config",
            name: "配置 duban.toml",
            cases: environment::config,
            random: random::config,
        },
        Kind {
            id: "cli",
            name: "命令行参数与环境变量",
            cases: environment::cli,
            random: random::cli,
        },
        Kind {
            id: "templates",
            name: "模板 templates/*.tera",
            cases: environment::templates,
            random: random::templates,
        },
        Kind {
            id: "output",
            name: "输出目录状态 out/",
            cases: environment::output,
            random: random::output,
        },
    ]
}

/// 用例：名称、改坏沙盒的办法、命令。
pub(super) fn case(label: &str, setup: impl Fn(&Sandbox) + 'static, runs: Vec<Run>) -> Case {
    Case {
        label: label.into(),
        setup: Box::new(setup),
        runs,
    }
}

/// 把某个文件的字节改一改。
pub(super) fn edit(
    label: &str,
    file: &'static str,
    f: impl Fn(Vec<u8>) -> Vec<u8> + 'static,
) -> Case {
    case(
        label,
        move |sb| {
            let b = sb.read(file);
            sb.write(file, f(b));
        },
        check_and_build(),
    )
}

/// 把某个文件的文字替换一处（找不到要替换的文字时测试失败，免得用例悄悄失效）。
pub(super) fn replace(
    label: &str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
) -> Case {
    edit(label, file, move |b| {
        let t = String::from_utf8(b).unwrap();
        assert!(t.contains(from), "{file} 中没有“{from}”");
        t.replacen(from, to, 1).into_bytes()
    })
}

/// 整个文件换成这些字节。
pub(super) fn whole(label: &str, file: &'static str, bytes: Vec<u8>) -> Case {
    edit(label, file, move |_| bytes.clone())
}

/// 截在半个字上：文件中间一个多字节字的第 2 个字节处截断。
pub fn cut_mid_char(b: Vec<u8>) -> Vec<u8> {
    let mut i = b.len() / 2;
    while i < b.len() && b[i] & 0xC0 != 0x80 {
        i += 1;
    }
    b[..i.min(b.len())].to_vec()
}

/// GBK 一类的非 UTF-8：把每个非 ASCII 字节换成 0xB9（单独出现不是合法的 UTF-8）。
pub fn not_utf8(b: Vec<u8>) -> Vec<u8> {
    b.into_iter()
        .map(|x| if x >= 0x80 { 0xB9 } else { x })
        .collect()
}

/// 确定的伪随机字节（线性同余）。
pub fn garbage(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        })
        .collect()
}

fn utf16(b: Vec<u8>) -> Vec<u8> {
    let t = String::from_utf8(b).unwrap();
    [0xFF, 0xFE]
        .into_iter()
        .chain(t.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

/// 2000 层嵌套的 TOML 数组（递归深度）。
pub(super) fn deep_toml(key: &str) -> String {
    format!("{key} = {}1{}\n", "[".repeat(2000), "]".repeat(2000))
}

/// 把路径换成一个（非空的）目录。
pub(super) fn make_dir(label: &str, file: &'static str) -> Case {
    case(
        label,
        move |sb| {
            sb.remove(file);
            std::fs::create_dir_all(sb.path(file).join("子目录")).unwrap();
        },
        check_and_build(),
    )
}

fn notice() -> Vec<Case> {
    vec![
        whole("空文件", NOTICE, Vec::new()),
        whole("只有空白", NOTICE, b"\n\n  \r\n\t\n\xe3\x80\x80\n".to_vec()),
        edit("只用 CR 换行", NOTICE, |b| {
            b.into_iter()
                .map(|c| if c == b'\n' { b'\r' } else { c })
                .collect()
        }),
        edit("截去后半", NOTICE, |b| b[..b.len() / 2].to_vec()),
        edit("截在半个字上", NOTICE, cut_mid_char),
        edit("GBK 一类的非 UTF-8", NOTICE, not_utf8),
        edit("UTF-16（带 BOM）", NOTICE, utf16),
        edit("UTF-16 奇数字节", NOTICE, |b| {
            let mut u = utf16(b);
            u.push(0xD8);
            u
        }),
        whole("二进制", NOTICE, garbage(4000, 7)),
        edit("每行插入 NUL 与方向控制符", NOTICE, |b| {
            String::from_utf8(b)
                .unwrap()
                .replace('\n', "\u{0}\u{202e}\u{feff}😀\n")
                .into_bytes()
        }),
        replace(
            "组头缺右括号",
            NOTICE,
            "(总牵头单位:区发改局)\n",
            "(总牵头单位:区发改局\n",
        ),
        edit("删掉全部组头", NOTICE, |b| {
            let t = String::from_utf8(b).unwrap();
            let kept: Vec<&str> = t.lines().filter(|l| !l.starts_with("——")).collect();
            kept.join("\n").into_bytes()
        }),
        replace("序号超大", NOTICE, "1.抢抓", "99999999999999999999.抢抓"),
        replace(
            "未登记的单位",
            NOTICE,
            "牵头单位:区发改局;",
            "牵头单位:区不存在局;",
        ),
        replace(
            "像公式的单位名",
            NOTICE,
            "牵头单位:区商务局;",
            "牵头单位:=1+2;",
        ),
        edit("二十万字的一行", NOTICE, |mut b| {
            b.extend("甲".repeat(200_000).as_bytes());
            b
        }),
        edit("括号乱配", NOTICE, |mut b| {
            b.extend("\n（（（（牵头单位：\n））））\n(责任单位:\n3.\n".as_bytes());
            b
        }),
        edit("序号重复", NOTICE, |b| {
            let t = String::from_utf8(b).unwrap();
            let line = t.lines().find(|l| l.starts_with("1.")).unwrap().to_string();
            t.replacen(&line, &format!("{line}\n{line}"), 1)
                .into_bytes()
        }),
        make_dir("通知是个目录", NOTICE),
        case("通知不存在", |sb| sb.remove(NOTICE), check_and_build()),
    ]
}

fn registry() -> Vec<Case> {
    vec![
        whole("空文件", UNITS, Vec::new()),
        replace(
            "字符串没结束",
            UNITS,
            "name = \"区发改局\"",
            "name = \"区发改局",
        ),
        replace("类别写错", UNITS, "kind = \"区直部门\"", "kind = \"部门\""),
        edit("单位重复", UNITS, |mut b| {
            b.extend("\n[[unit]]\nname = \"区发改局\"\nkind = \"区直部门\"\n".as_bytes());
            b
        }),
        replace(
            "别名与别的单位重名",
            UNITS,
            "aliases = [\"区财政局(金融办)\"]",
            "aliases = [\"区商务局\"]",
        ),
        replace(
            "群体成员未登记",
            UNITS,
            "members = [\"郑店街道办事处\", \"金口街道办事处\"]",
            "members = [\"郑店街道办事处\", \"区不存在局\"]",
        ),
        replace(
            "别名类型不对",
            UNITS,
            "aliases = [\"区财政局(金融办)\"]",
            "aliases = \"区财政局(金融办)\"",
        ),
        edit("未知的键", UNITS, |mut b| {
            b.extend(b"\nfoo = 1\n");
            b
        }),
        replace("表头写坏", UNITS, "[[unit]]", "[[unit]"),
        replace("名称为空", UNITS, "name = \"区发改局\"", "name = \"\""),
        replace(
            "像公式的名称",
            UNITS,
            "name = \"区商务局\"",
            "name = \"=1+2\"",
        ),
        edit("GBK 一类的非 UTF-8", UNITS, not_utf8),
        edit("截在半个字上", UNITS, cut_mid_char),
        whole("二进制", UNITS, garbage(3000, 11)),
        whole("2000 层嵌套", UNITS, deep_toml("unit").into_bytes()),
        edit("五百个单位", UNITS, |mut b| {
            for i in 0..500 {
                b.extend(
                    format!("\n[[unit]]\nname = \"区测试{i}局\"\nkind = \"区直部门\"\n").as_bytes(),
                );
            }
            b
        }),
        make_dir("登记册是个目录", UNITS),
        case("登记册不存在", |sb| sb.remove(UNITS), check_and_build()),
    ]
}

/// 一份报送：区商务局办理方案的开头加上 `body`。
fn sub(label: &str, body: &str) -> Case {
    let text = format!("unit = \"区商务局\"\nform = \"办理方案\"\n{body}");
    case(label, move |sb| sb.write(SUB, &text), check_and_build())
}

fn submission() -> Vec<Case> {
    let row = |extra: &str| format!("[[task]]\nid = \"2\"\n[[task.row]]\n{extra}\n");
    vec![
        case(
            "语法错误",
            |sb| sb.write(SUB, "unit = \"区商务局\n"),
            check_and_build(),
        ),
        case(
            "未知单位",
            |sb| sb.write(SUB, "unit = \"区不存在局\"\nform = \"办理方案\"\n"),
            check_and_build(),
        ),
        case(
            "未知表种",
            |sb| sb.write(SUB, "unit = \"区商务局\"\nform = \"报告\"\n"),
            check_and_build(),
        ),
        case(
            "季度写错",
            |sb| {
                sb.write(
                    SUB,
                    "unit = \"区发改局\"\nform = \"完成情况\"\nquarter = \"2023Q9\"\n",
                )
            },
            check_and_build(),
        ),
        sub("任务序号不存在", "[[task]]\nid = \"99\"\n"),
        sub("月份 13", &row("content = \"x\"\nmonth = 13")),
        sub("月份 3.5", &row("content = \"x\"\nmonth = 3.5")),
        sub("月份 -1", &row("content = \"x\"\nmonth = -1")),
        sub("月份写成文字", &row("content = \"x\"\nmonth = \"三月\"")),
        sub("缺内容", &row("month = 3")),
        sub(
            "内容四万字",
            &row(&format!("content = \"{}\"\nmonth = 3", "字".repeat(40_000))),
        ),
        sub("收到日期不存在", "received = \"2023-02-30\"\n"),
        sub("task 类型不对", "task = 1\n"),
        sub("行在任务之外", "[[task.row]]\ncontent = \"x\"\n"),
        sub("2000 层嵌套", &deep_toml("extra")),
        case(
            "GBK 一类的非 UTF-8",
            |sb| sb.write(SUB, not_utf8("unit = \"区商务局\"\n".as_bytes().to_vec())),
            check_and_build(),
        ),
        case(
            "截在半个字上",
            |sb| {
                let b = "unit = \"区商务局\"\nform = \"办理方案\"\n"
                    .as_bytes()
                    .to_vec();
                sb.write(SUB, &b[..b.len() - 20]);
            },
            check_and_build(),
        ),
        case("空文件", |sb| sb.write(SUB, ""), check_and_build()),
        case(
            "二进制",
            |sb| sb.write(SUB, garbage(2000, 3)),
            check_and_build(),
        ),
        case(
            "名为 .toml 的目录",
            |sb| std::fs::create_dir_all(sb.path(SUB)).unwrap(),
            check_and_build(),
        ),
        case(
            "重复报送",
            |sb| {
                let b = sb.read("content/submissions/区商务局-办理方案.toml");
                sb.write(SUB, b);
            },
            check_and_build(),
        ),
    ]
}

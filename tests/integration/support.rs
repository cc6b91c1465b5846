//! 测试共用：与 tests/fixtures/build/content/notice.txt 一致的手工任务目录（解析器合并前使用），
//! 以及夹具路径。

use duban::catalogue::{Catalogue, Chapter, Group, Task, UnitRef};
use duban::registry::Registry;
use std::path::{Path, PathBuf};
use std::process::Command;

/// PDF 的文字层（poppler 的 pdftotext，`args` 如 `["-layout"]`、`["-f", "2", "-l", "2"]`）。
pub fn pdftotext(path: &Path, args: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(args)
        .arg(path)
        .arg("-")
        .output()
        .expect("需要 poppler-utils 的 pdftotext");
    assert!(
        out.status.success(),
        "pdftotext {}：{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// 去掉空白，便于跨行、跨列断开后比较。
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn registry() -> Registry {
    let text = std::fs::read_to_string(fixture("build/content/units.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

/// 手工构造、与夹具通知逐项一致的任务目录。
pub fn catalogue() -> Catalogue {
    let u = UnitRef::unit;
    let g = UnitRef::group;
    let ch = |part: &str, number: &str, title: &str, line| Chapter {
        part: part.into(),
        number: number.into(),
        title: title.into(),
        line,
    };
    #[allow(clippy::too_many_arguments)]
    fn task(
        id: &str,
        n: u32,
        ch: usize,
        group: Option<usize>,
        text: &str,
        leads: Vec<UnitRef>,
        resp: Vec<UnitRef>,
        line: usize,
    ) -> Task {
        Task {
            id: id.into(),
            number: n,
            chapter: Some(ch),
            group,
            text: text.into(),
            leads,
            responsible: resp,
            line,
        }
    }
    Catalogue {
        title: "2023年区《政府工作报告》主要目标任务责任分解方案".into(),
        source: "notice.txt".into(),
        chapters: vec![
            ch(
                "二",
                "一",
                "坚持把产业作为高质量发展的关键支撑,推动经济提质增量。",
                11,
            ),
            ch(
                "二",
                "二",
                "坚持把共享作为高质量发展的重中之重,提高人民生活品质。",
                18,
            ),
            ch("三", "一", "筑牢政治信仰", 22),
            ch("三", "二", "坚持依法行政", 24),
        ],
        groups: vec![
            Group {
                chapter: 0,
                title: "推动主导产业强链集群".into(),
                overall_leads: vec![u("区发改局")],
                line: 12,
            },
            Group {
                chapter: 0,
                title: "主动融入武汉都市圈".into(),
                overall_leads: vec![u("区发改局"), u("区住建局")],
                line: 15,
            },
            Group {
                chapter: 1,
                title: "提高社会保障水平".into(),
                overall_leads: vec![],
                line: 19,
            },
        ],
        tasks: vec![
            task(
                "1",
                1,
                0,
                Some(0),
                "抢抓车光产业跨界融合发展示范区创建契机,着力延链补链强链,壮大主导产业集群。",
                vec![u("区发改局")],
                vec![u("区商务局"), u("郑店街道办事处")],
                13,
            ),
            task(
                "2",
                2,
                0,
                Some(0),
                "大力引进“三电”等关键零部件项目,做大“零整比”。",
                vec![u("区商务局")],
                vec![u("区财政局"), g("各街道办事处")],
                14,
            ),
            task(
                "3",
                3,
                0,
                Some(1),
                "聚焦规划同编,加强与光谷、车谷规划衔接,提升联动融合效率。",
                vec![u("区住建局")],
                vec![u("区财政局")],
                16,
            ),
            task(
                "4",
                4,
                0,
                Some(1),
                "聚焦交通同网,加快推动过江通道等项目建设。",
                vec![u("区发改局")],
                vec![u("区住建局"), u("郑店街道办事处")],
                17,
            ),
            task(
                "5",
                5,
                1,
                Some(2),
                "完善分层分类社会救助制度体系,确保困难群众“应救尽救、应救快救”。",
                vec![u("区民政局")],
                vec![g("各街道办事处")],
                20,
            ),
            task(
                "三.1",
                1,
                2,
                None,
                "旗帜鲜明讲政治,把党的领导落实到政府工作各领域各环节。",
                vec![],
                vec![g("各街道办事处"), g("区人民政府各部门")],
                23,
            ),
            task(
                "三.2",
                2,
                3,
                None,
                "坚持科学民主依法决策,严格落实重大行政决策程序。",
                vec![u("区司法局")],
                vec![u("区财政局")],
                25,
            ),
        ],
    }
}

/// 临时目录（每个测试一个，进程号区分）。
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("duban-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

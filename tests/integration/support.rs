//! 测试共用（只此一处）：运行 duban 可执行文件、夹具路径与夹具项目、PDF 文字提取、外部工具、临时目录。

use duban::catalogue::Catalogue;
use duban::registry::Registry;
use duban::Project;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 外部工具所在的软件包（缺工具时的说明用）。
fn package_of(tool: &str) -> &'static str {
    match tool {
        "pdftotext" | "pdfinfo" | "pdffonts" => "poppler-utils",
        "soffice" => "LibreOffice：libreoffice-calc-nogui、libreoffice-draw-nogui",
        "qpdf" => "qpdf",
        "unzip" => "unzip",
        _ => "相应的软件包",
    }
}

/// 运行外部工具并取输出。工具没装时测试失败并说清缺什么、怎么装，而不是 NotFound 的 unwrap。
pub fn run_tool(cmd: &mut Command) -> Output {
    let prog = cmd.get_program().to_string_lossy().into_owned();
    match cmd.output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "缺少 {prog}（{}），请运行 bash .ci/run 安装",
            package_of(&prog)
        ),
        Err(e) => panic!("无法运行 {prog}：{e}"),
    }
}

/// LibreOffice 的 PDF 导入要 Draw 组件：只装了 Calc 的机器上 soffice 照样运行、退出码 0，
/// 却不出文件，测试便在后面以 pdftotext 的错误失败。先查组件文件，缺了就直说。
/// （soffice 旁边没有 .so 的安装方式，如 macOS 的应用包，不在此查。）
pub fn require_libreoffice_draw() {
    let soffice = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|d| d.join("soffice"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "缺少 soffice（{}），请运行 bash .ci/run 安装",
                package_of("soffice")
            )
        });
    let prog = std::fs::canonicalize(&soffice)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    if !prog.join("libsclo.so").exists() && !prog.join("libsdlo.so").exists() {
        return;
    }
    for (lib, what) in [
        ("libsclo.so", "Calc（libreoffice-calc-nogui）"),
        ("libsdlo.so", "Draw（libreoffice-draw-nogui）"),
        ("libpdfimportlo.so", "PDF 导入（libreoffice-draw-nogui）"),
    ] {
        assert!(
            prog.join(lib).exists(),
            "缺少 LibreOffice {what}：{} 不存在，请运行 bash .ci/run 安装",
            prog.join(lib).display()
        );
    }
}

/// PDF 的文字层（poppler 的 pdftotext，`args` 如 `["-layout"]`、`["-f", "2", "-l", "2"]`）。
pub fn pdftotext(path: &Path, args: &[&str]) -> String {
    let out = run_tool(Command::new("pdftotext").args(args).arg(path).arg("-"));
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

/// 夹具项目（tests/fixtures/build）的任务目录：由解析器从夹具通知得出（不手抄解析结果），
/// 夹具通知本身无错误。
pub fn catalogue() -> Catalogue {
    let text = std::fs::read_to_string(fixture("build/content/notice.txt")).unwrap();
    let (cat, diags) = duban::catalogue::parse(&text, "notice.txt", &registry());
    assert!(!diags.has_errors(), "{:?}", diags.sorted());
    cat
}

/// 夹具项目（tests/fixtures/build/duban.toml），经与 `duban build` 相同的加载。
pub fn project() -> Project {
    Project::load(&fixture("build/duban.toml")).expect("加载夹具项目")
}

/// 运行 duban 可执行文件的命令：工作目录为仓库根，去掉 SOURCE_DATE_EPOCH（日期只由参数和配置决定）。
pub fn duban_cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_duban"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SOURCE_DATE_EPOCH");
    c
}

/// 运行 duban（另加环境变量），返回输出。
pub fn duban_with(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut c = duban_cmd();
    c.args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().expect("运行 duban")
}

/// 运行 duban，返回输出。
pub fn duban(args: &[&str]) -> Output {
    duban_with(args, &[])
}

/// 把夹具项目 tests/fixtures/build 复制到 `dir`（每个文件经 `convert` 转换），返回其中 duban.toml 的路径。
pub fn copy_fixture_project(dir: &Path, convert: &dyn Fn(&Path, Vec<u8>) -> Vec<u8>) -> PathBuf {
    let src = fixture("build");
    for e in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let e = e.unwrap();
        let to = dir.join(e.path().strip_prefix(&src).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            let bytes = std::fs::read(e.path()).unwrap();
            std::fs::write(&to, convert(e.path(), bytes)).unwrap();
        }
    }
    dir.join("duban.toml")
}

/// 临时目录（每个测试一个，进程号区分）。
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("duban-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

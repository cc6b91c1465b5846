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

// ---- 报回件：像 Excel/WPS/LibreOffice 那样改一份 XLSX（测试里“填表”） ----

/// 一份 XLSX 的全部部件，可按格子改写（内联字符串、数字、日期序号、公式）、插入行、改表名、
/// 加工作表、改自定义属性，再存回 zip。只在测试里用来模拟各家软件存出的文件。
pub struct XlsxEdit {
    parts: Vec<(String, Vec<u8>)>,
}

fn col_row(cell: &str) -> (String, u32) {
    let col: String = cell
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    (col.clone(), cell[col.len()..].parse().unwrap())
}

fn col_index(col: &str) -> u32 {
    col.bytes().fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl XlsxEdit {
    pub fn open(path: &Path) -> Self {
        Self::from_bytes(&std::fs::read(path).unwrap())
    }
    pub fn from_bytes(bytes: &[u8]) -> Self {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let parts = (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut v = Vec::new();
                f.read_to_end(&mut v).unwrap();
                (f.name().unwrap().to_string(), v)
            })
            .collect();
        XlsxEdit { parts }
    }
    pub fn part(&self, name: &str) -> String {
        let p = self.parts.iter().find(|(n, _)| n == name);
        String::from_utf8(p.unwrap_or_else(|| panic!("无部件 {name}")).1.clone()).unwrap()
    }
    pub fn set_part(&mut self, name: &str, text: &str) -> &mut Self {
        match self.parts.iter_mut().find(|(n, _)| n == name) {
            Some(p) => p.1 = text.as_bytes().to_vec(),
            None => self.parts.push((name.into(), text.as_bytes().to_vec())),
        }
        self
    }
    pub fn bytes(&self) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (n, d) in &self.parts {
            w.start_file(n.as_str(), o).unwrap();
            w.write_all(d).unwrap();
        }
        w.finish().unwrap().into_inner()
    }
    pub fn save(&self, path: &Path) {
        std::fs::write(path, self.bytes()).unwrap();
    }

    const SHEET: &'static str = "xl/worksheets/sheet1.xml";

    /// 把格子换成 `inner`（`<c r=.. s=..` 之后的属性与内容），保留原样式；格子不存在时按列序插入行内。
    fn put(&mut self, cell: &str, attrs: &str, inner: &str) -> &mut Self {
        let mut xml = self.part(Self::SHEET);
        let (col, row) = col_row(cell);
        let open = format!(r#"<c r="{cell}""#);
        let style = |tag: &str| -> String {
            tag.split(" s=\"")
                .nth(1)
                .map(|s| format!(r#" s="{}""#, s.split('"').next().unwrap()))
                .unwrap_or_default()
        };
        let new = |s: &str| format!(r#"<c r="{cell}"{s}{attrs}>{inner}</c>"#);
        if let Some(at) = xml.find(&open) {
            let tag_end = at + xml[at..].find('>').unwrap();
            let s = style(&xml[at..tag_end]);
            let end = if xml[..tag_end].ends_with('/') {
                tag_end + 1
            } else {
                tag_end + xml[tag_end..].find("</c>").unwrap() + 4
            };
            xml.replace_range(at..end, &new(&s));
        } else {
            let row_at = xml
                .find(&format!(r#"<row r="{row}""#))
                .unwrap_or_else(|| panic!("无第 {row} 行"));
            let tag_end = row_at + xml[row_at..].find('>').unwrap();
            if xml[..tag_end].ends_with('/') {
                xml.replace_range(tag_end - 1..tag_end + 1, &format!(">{}</row>", new("")));
            } else {
                let row_end = tag_end + xml[tag_end..].find("</row>").unwrap();
                let mut insert = row_end;
                let mut i = tag_end;
                while let Some(off) = xml[i..row_end].find("<c r=\"") {
                    let c = i + off + 6;
                    let r: String = xml[c..].chars().take_while(|ch| *ch != '"').collect();
                    if col_index(&col_row(&r).0) > col_index(&col) {
                        insert = i + off;
                        break;
                    }
                    i = c;
                }
                xml.insert_str(insert, &new(""));
            }
        }
        self.set_part(Self::SHEET, &xml)
    }
    /// 内联字符串（LibreOffice 以外的一些程序这样存）。
    pub fn set_str(&mut self, cell: &str, text: &str) -> &mut Self {
        let inner = format!(
            r#"<is><t xml:space="preserve">{}</t></is>"#,
            xml_escape(text)
        );
        self.put(cell, r#" t="inlineStr""#, &inner)
    }
    /// 共享字符串（Excel 的存法）：追加到 sharedStrings.xml。
    pub fn set_shared(&mut self, cell: &str, text: &str) -> &mut Self {
        let sst = self.part("xl/sharedStrings.xml");
        let n = sst.matches("<si>").count();
        let sst = sst.replace(
            "</sst>",
            &format!(
                r#"<si><t xml:space="preserve">{}</t></si></sst>"#,
                xml_escape(text)
            ),
        );
        self.set_part("xl/sharedStrings.xml", &sst);
        self.put(cell, r#" t="s""#, &format!("<v>{n}</v>"))
    }
    pub fn set_num(&mut self, cell: &str, n: f64) -> &mut Self {
        self.put(cell, "", &format!("<v>{n}</v>"))
    }
    /// 日期：Excel 日期序号加内置日期格式（numFmtId 14），像在格子里输入“2023/5/31”。
    pub fn set_date(&mut self, cell: &str, serial: f64) -> &mut Self {
        let styles = self.part("xl/styles.xml");
        let start = styles.find("<cellXfs count=\"").unwrap() + 16;
        let count: usize = styles[start..].split('"').next().unwrap().parse().unwrap();
        let styles = styles
            .replacen(&format!("<cellXfs count=\"{count}\""), &format!("<cellXfs count=\"{}\"", count + 1), 1)
            .replacen("</cellXfs>", r#"<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#, 1);
        self.set_part("xl/styles.xml", &styles);
        let mut xml = self.part(Self::SHEET);
        if let Some(at) = xml.find(&format!(r#"<c r="{cell}" s=""#)) {
            let s = at + xml[at..].find(" s=\"").unwrap();
            let e = s + 4 + xml[s + 4..].find('"').unwrap() + 1;
            xml.replace_range(s..e, "");
            self.set_part(Self::SHEET, &xml);
        }
        self.put(
            cell,
            &format!(r#" s="{count}""#),
            &format!("<v>{serial}</v>"),
        )
    }
    /// 公式及其缓存结果（文字）。
    pub fn set_formula(&mut self, cell: &str, formula: &str, cached: &str) -> &mut Self {
        let inner = format!(
            "<f>{}</f><v>{}</v>",
            xml_escape(formula),
            xml_escape(cached)
        );
        self.put(cell, r#" t="str""#, &inner)
    }
    /// 在第 `row` 行（Excel 行号）之后插入一空行：其后的行号、合并区、数据验证区都顺延，
    /// 跨过插入处的合并区变长（Excel 在合并区内插行就是这样）。
    pub fn insert_row_after(&mut self, row: u32) -> &mut Self {
        let shift = |n: u32| if n > row { n + 1 } else { n };
        let mut xml = self.part(Self::SHEET);
        for prefix in [r#"<row r=""#, r#"<c r=""#] {
            let mut out = String::new();
            let mut rest = xml.as_str();
            while let Some(i) = rest.find(prefix) {
                let j = i + prefix.len();
                out.push_str(&rest[..j]);
                let v: String = rest[j..].chars().take_while(|c| *c != '"').collect();
                let (c, r) = if prefix.starts_with("<row") {
                    (String::new(), v.parse().unwrap())
                } else {
                    col_row(&v)
                };
                out.push_str(&format!("{c}{}", shift(r)));
                rest = &rest[j + v.len()..];
            }
            out.push_str(rest);
            xml = out;
        }
        let range = |r: &str| -> String {
            r.split(' ')
                .map(|part| {
                    let ends: Vec<(String, u32)> = part.split(':').map(col_row).collect();
                    let (a, b) = (&ends[0], ends.last().unwrap());
                    let (ra, rb) = (shift(a.1), if b.1 > row { b.1 + 1 } else { b.1 });
                    if ends.len() == 1 {
                        format!("{}{ra}", a.0)
                    } else {
                        format!("{}{ra}:{}{rb}", a.0, b.0)
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        for attr in [r#"<mergeCell ref=""#, r#" sqref=""#, r#"<dimension ref=""#] {
            let mut out = String::new();
            let mut rest = xml.as_str();
            while let Some(i) = rest.find(attr) {
                let j = i + attr.len();
                out.push_str(&rest[..j]);
                let v: String = rest[j..].chars().take_while(|c| *c != '"').collect();
                out.push_str(&range(&v));
                rest = &rest[j + v.len()..];
            }
            out.push_str(rest);
            xml = out;
        }
        let at = xml
            .find(&format!(r#"<row r="{}""#, row + 2))
            .or_else(|| xml.find("</sheetData>"))
            .unwrap();
        xml.insert_str(at, &format!(r#"<row r="{}"></row>"#, row + 1));
        self.set_part(Self::SHEET, &xml)
    }
    pub fn rename_sheet(&mut self, from: &str, to: &str) -> &mut Self {
        let wb = self
            .part("xl/workbook.xml")
            .replace(&format!(r#"name="{from}""#), &format!(r#"name="{to}""#))
            .replace(&format!("'{from}'!"), &format!("'{to}'!"))
            .replace(&format!("{from}!"), &format!("{to}!"));
        self.set_part("xl/workbook.xml", &wb)
    }
    /// 在最前面加一张工作表（A1 写 `text`），报送表变成第二张。
    pub fn add_sheet_first(&mut self, name: &str, text: &str) -> &mut Self {
        let sheet = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row></sheetData></worksheet>"#,
            xml_escape(text)
        );
        self.set_part("xl/worksheets/sheet9.xml", &sheet);
        let rels = self.part("xl/_rels/workbook.xml.rels").replace("</Relationships>", r#"<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet9.xml"/></Relationships>"#);
        self.set_part("xl/_rels/workbook.xml.rels", &rels);
        let ct = self.part("[Content_Types].xml").replace("</Types>", r#"<Override PartName="/xl/worksheets/sheet9.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#);
        self.set_part("[Content_Types].xml", &ct);
        let wb = self.part("xl/workbook.xml").replacen(
            "<sheets>",
            &format!(r#"<sheets><sheet name="{name}" sheetId="9" r:id="rId99"/>"#),
            1,
        );
        self.set_part("xl/workbook.xml", &wb)
    }
    /// 改一个 `duban.*` 自定义属性的值。
    pub fn set_prop(&mut self, name: &str, value: &str) -> &mut Self {
        let c = self.part("docProps/custom.xml");
        let at = c
            .find(&format!(r#"name="{name}""#))
            .unwrap_or_else(|| panic!("无属性 {name}"));
        let v = at + c[at..].find("<vt:lpwstr>").unwrap() + 11;
        let e = v + c[v..].find("</vt:lpwstr>").unwrap();
        let mut c = c;
        c.replace_range(v..e, value);
        self.set_part("docProps/custom.xml", &c)
    }
    /// 去掉全部自定义属性和隐藏键列的内容（单位照样子自己做的表）。
    pub fn strip_keys(&mut self, key_col: &str) -> &mut Self {
        self.parts.retain(|(n, _)| n != "docProps/custom.xml");
        let mut xml = self.part(Self::SHEET);
        while let Some(at) = xml.find(&format!(r#"<c r="{key_col}"#)) {
            let end = at + xml[at..].find("</c>").unwrap() + 4;
            xml.replace_range(at..end, "");
        }
        self.set_part(Self::SHEET, &xml)
    }
    /// 共享字符串全部改成内联字符串（有的程序这样存）。
    pub fn inline_all_strings(&mut self) -> &mut Self {
        let sst = self.part("xl/sharedStrings.xml");
        let strings: Vec<String> = sst
            .split("<si>")
            .skip(1)
            .map(|si| {
                let t = &si[si.find("<t").unwrap()..];
                let t = &t[t.find('>').unwrap() + 1..];
                t[..t.find("</t>").unwrap()].to_string()
            })
            .collect();
        let mut xml = self.part(Self::SHEET);
        let mut out = String::new();
        let mut rest = xml.as_str();
        while let Some(i) = rest.find(r#" t="s"><v>"#) {
            out.push_str(&rest[..i]);
            let j = i + r#" t="s"><v>"#.len();
            let k = j + rest[j..].find("</v>").unwrap();
            let n: usize = rest[j..k].parse().unwrap();
            out.push_str(&format!(
                r#" t="inlineStr"><is><t xml:space="preserve">{}</t></is>"#,
                strings[n]
            ));
            rest = &rest[k + 4..];
        }
        out.push_str(rest);
        xml = out;
        self.set_part(Self::SHEET, &xml)
    }
}

/// 用 LibreOffice（真正的第二个客户端）把这些 XLSX 另存一遍到 `out_dir`，返回新文件路径（同名）。
pub fn libreoffice_resave(files: &[PathBuf], out_dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(out_dir).unwrap();
    let profile = temp_dir("lo-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(out_dir)
        .args(files)
        .output()
        .expect("需要 LibreOffice（soffice）");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    files
        .iter()
        .map(|f| out_dir.join(f.file_name().unwrap()))
        .collect()
}

/// 把全角标点 ，；：？！（） 换回半角：PDF 印的是全角（印刷用标点），任务目录保留原文，
/// 比较正文是否完整时两边都换成半角。
pub fn halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '，' => ',',
            '；' => ';',
            '：' => ':',
            '？' => '?',
            '！' => '!',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

//! 读一个收到的文件：先认格式（XLSX、旧版 XLS、加密、PDF、Word……），再检查压缩包
//! （条目数、每个部件解压后的真实大小），最后用 calamine 逐格流式读出每张工作表的
//! 非空格子（值、是否公式）、合并区和文档自定义属性。
//!
//! 时间和内存都有上限：文件 ≤ [`MAX_FILE_BYTES`]，每个部件解压后 ≤ 32 MB、合计 ≤ 96 MB
//! （先真解压一遍计数，不信压缩包里写的大小），非空格子 ≤ 20 万个、行号 ≤ 10 万。
//! 超出的文件报清楚的错误，不会把内存撑爆或卡住；calamine 万一 panic 也只算这一个文件读不了。

use calamine::{DataRef, Reader, Xlsx};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// 收到的文件最大字节数（报送表通常不到 1 MB；更大的不解析，原件照样保存）。
pub const MAX_FILE_BYTES: u64 = 32 << 20;
const MAX_ENTRIES: u64 = 1_000;
const MAX_PART_BYTES: u64 = 32 << 20;
const MAX_TOTAL_BYTES: u64 = 96 << 20;
const MAX_CELLS: usize = 200_000;
const MAX_ROW: u32 = 100_000;
const MAX_COL: u32 = 1_000;

/// 一个格子的值。
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    /// 日期格式的数字（Excel 日期序号），已换算成年月日。
    Date {
        year: i32,
        month: u8,
        day: u8,
    },
    Bool(bool),
    /// 公式错误值，如 #REF!。
    Error(String),
}

impl Value {
    /// 显示用的文字（数字去掉多余的“.0”）。
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) | Value::Error(s) => s.clone(),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Number(n) => n.to_string(),
            Value::Date { year, month, day } => format!("{year}-{month:02}-{day:02}"),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        }
    }
}

/// 一个非空格子。
#[derive(Debug, Clone, PartialEq)]
pub struct CellData {
    pub value: Value,
    /// 是公式（值是上次计算的结果，duban 不重新计算）。
    pub formula: bool,
}

/// 一张工作表：非空格子（行, 列 从 0 起）与合并区（左上, 右下）。
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetData {
    pub name: String,
    pub cells: BTreeMap<(u32, u32), CellData>,
    pub merges: Vec<((u32, u32), (u32, u32))>,
}

impl SheetData {
    /// 某格的文字（没有为空串）。
    pub fn text(&self, row: u32, col: u32) -> String {
        self.cells
            .get(&(row, col))
            .map(|c| c.value.text())
            .unwrap_or_default()
    }
    /// 最后一个非空格子所在行。
    pub fn last_row(&self) -> Option<u32> {
        self.cells.keys().map(|k| k.0).max()
    }
}

/// 读出的工作簿。
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Book {
    /// 文档自定义属性（duban 写的 `duban.*` 在这里）。
    pub props: BTreeMap<String, String>,
    pub sheets: Vec<SheetData>,
}

/// 文件读不了的原因。
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("文件有 {0:.1} MB，超过 32 MB 的上限，未解析")]
    TooLarge(f64),
    #[error("是旧版 Excel 97-2003 工作簿（.xls）或 WPS 表格（.et），不能可靠地读取")]
    OldFormat,
    #[error("文件设了打开密码（已加密），无法读取")]
    Encrypted,
    #[error("不是 Excel 工作簿（看起来是{0}）")]
    NotExcel(&'static str),
    #[error("文件已损坏，无法作为 XLSX 打开（{0}）")]
    Corrupt(String),
    #[error("压缩包中有 {0} 个条目，不像是报送表（上限 1000）")]
    TooManyEntries(u64),
    #[error("部件 {0} 解压后超过 {1} MB（疑似压缩炸弹），未继续读取")]
    Bomb(String, u64),
    #[error("工作表“{0}”过大（{1}），不像是报送表")]
    TooBig(String, String),
}

impl ReadError {
    /// 给办公室的处理提示。
    pub fn hint(&self) -> &'static str {
        match self {
            ReadError::TooLarge(_) => "报送表通常不到 1 MB；请单位删去表中的图片等内容后另存再报",
            ReadError::OldFormat => {
                "请单位（或办公室）用 Excel/WPS 打开后“另存为”Excel 工作簿（*.xlsx）再导入"
            }
            ReadError::Encrypted => {
                "请单位取消打开密码（文件→信息→保护工作簿→用密码进行加密，清空）后重新报送"
            }
            ReadError::NotExcel(_) => {
                "应导入单位填好的 XLSX 表格（下发的“附表”文件），不是扫描件、PDF 或 Word 文档"
            }
            ReadError::Corrupt(_) => "文件可能没有下载完整或在传输中损坏：请单位重新发送",
            ReadError::TooManyEntries(_) | ReadError::Bomb(..) | ReadError::TooBig(..) => {
                "这不是正常的报送表；请单位用下发的表格重新填报"
            }
        }
    }
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// 按开头字节认格式；是 zip 返回 `Ok(())`。
fn sniff(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.starts_with(&CFB_MAGIC) {
        // 加了打开密码的 XLSX 是一个 OLE 复合文件，里面有 “EncryptedPackage” 流（UTF-16 名称）。
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        return Err(if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
            ReadError::Encrypted
        } else {
            ReadError::OldFormat
        });
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    Err(ReadError::NotExcel(if bytes.starts_with(b"%PDF") {
        " PDF 文件"
    } else if bytes.starts_with(b"{\\rtf") {
        " RTF 文档"
    } else if head.contains("<html") || head.contains("<!doctype") || head.contains("<table") {
        "网页（可能是“另存为网页”的表格）"
    } else if bytes.starts_with(&[0xFF, 0xD8]) || bytes.starts_with(b"\x89PNG") {
        "图片（扫描件或截图）"
    } else if bytes.is_empty() {
        "空文件"
    } else {
        "其他格式的文件"
    }))
}

/// 压缩包目录末尾记录（EOCD）中的条目总数；在交给 zip 库解析整个目录之前先看一眼。
fn zip_entry_count(bytes: &[u8]) -> Option<u64> {
    let start = bytes.len().saturating_sub(22 + 65_535);
    let at = (start..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4B, 0x05, 0x06])?;
    Some(u64::from(u16::from_le_bytes([
        bytes[at + 10],
        bytes[at + 11],
    ])))
}

/// 检查压缩包：条目数、加密、要读的 XML 部件真实解压后的大小；并认出 Word、ODS 等非 XLSX 的 zip。
fn check_zip(bytes: &[u8]) -> Result<(), ReadError> {
    match zip_entry_count(bytes) {
        None => return Err(ReadError::Corrupt("找不到压缩包目录".into())),
        // 0xFFFF 表示 ZIP64：报送表不会有这么多条目。
        Some(n) if n > MAX_ENTRIES => return Err(ReadError::TooManyEntries(n)),
        Some(_) => {}
    }
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Corrupt(e.to_string()))?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect();
    if !names.iter().any(|n| n == "xl/workbook.xml") {
        return Err(ReadError::NotExcel(
            if names.iter().any(|n| n.starts_with("word/")) {
                " Word 文档（.docx）"
            } else if names.iter().any(|n| n == "mimetype" || n == "content.xml") {
                " ODS/ODT 文档（请另存为 .xlsx）"
            } else if names.iter().any(|n| n.starts_with("xl/")) {
                "缺少工作簿部件的 Excel 文件"
            } else {
                "普通压缩包"
            },
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
                ReadError::Encrypted
            }
            e => ReadError::Corrupt(e.to_string()),
        })?;
        if f.encrypted() {
            return Err(ReadError::Encrypted);
        }
        // 所有部件都真解压计数：工作表可以经关系指向任何名字的部件，不能只看 .xml。
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        let n = std::io::copy(&mut (&mut f).take(MAX_PART_BYTES + 1), &mut std::io::sink())
            .map_err(|e| ReadError::Corrupt(format!("{name}：{e}")))?;
        total += n;
        if n > MAX_PART_BYTES || total > MAX_TOTAL_BYTES {
            return Err(ReadError::Bomb(name, MAX_PART_BYTES >> 20));
        }
    }
    Ok(())
}

/// 读一个文件的全部字节成 [`Book`]。任何输入都不 panic、不无限占用内存。
pub fn read_book(bytes: &[u8]) -> Result<Book, ReadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as f64 / 1048576.0));
    }
    sniff(bytes)?;
    check_zip(bytes)?;
    // calamine 对畸形输入若 panic，只算这个文件读不了（其余文件照常）。
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_checked(bytes)))
        .unwrap_or_else(|_| Err(ReadError::Corrupt("读取库内部错误".into())))
}

fn read_checked(bytes: &[u8]) -> Result<Book, ReadError> {
    let corrupt = |e: calamine::XlsxError| match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        e => ReadError::Corrupt(e.to_string()),
    };
    let mut xlsx = Xlsx::new(Cursor::new(bytes)).map_err(corrupt)?;
    let props = xlsx
        .workbook_properties()
        .map(|p| p.custom_properties.into_iter().collect())
        .unwrap_or_default();
    let mut book = Book {
        props,
        sheets: Vec::new(),
    };
    let mut budget = MAX_CELLS;
    for name in xlsx.sheet_names() {
        let mut sheet = SheetData {
            name: name.clone(),
            ..Default::default()
        };
        let mut reader = match xlsx.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // 图表页等不是工作表的页跳过。
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(corrupt(e)),
        };
        while let Some(c) = reader.next_cell_with_formula_metadata().map_err(corrupt)? {
            let (row, col) = c.pos;
            let formula = c.formula.is_some();
            let Some(value) = convert(c.value) else {
                continue;
            };
            if row > MAX_ROW || col > MAX_COL {
                let at = crate::ingest::cell_ref(row, col);
                return Err(ReadError::TooBig(name, format!("在 {at} 有内容")));
            }
            if budget == 0 {
                return Err(ReadError::TooBig(name, "非空格子超过 20 万个".into()));
            }
            budget -= 1;
            sheet.cells.insert((row, col), CellData { value, formula });
        }
        drop(reader);
        sheet.merges = xlsx
            .merge_cells_by_sheet_name(&name)
            .map_err(corrupt)?
            .into_iter()
            .take(MAX_CELLS)
            .map(|d| (d.start, d.end))
            .collect();
        book.sheets.push(sheet);
    }
    Ok(book)
}

/// calamine 的值 → [`Value`]；空格子、空字符串为 `None`。
fn convert(v: DataRef<'_>) -> Option<Value> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::String(s) if s.is_empty() => return None,
        DataRef::SharedString("") => return None,
        DataRef::String(s) => Value::Text(s),
        DataRef::SharedString(s) => Value::Text(s.to_string()),
        DataRef::Int(i) => Value::Number(i as f64),
        DataRef::Float(f) => Value::Number(f),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(d) if d.is_datetime() && (1.0..2_958_466.0).contains(&d.as_f64()) => {
            let (year, month, day, ..) = d.to_ymd_hms_milli();
            Value::Date {
                year: i32::from(year),
                month,
                day,
            }
        }
        DataRef::DateTime(d) => Value::Number(d.as_f64()),
        DataRef::DateTimeIso(s) => iso_date(&s).unwrap_or(Value::Text(s)),
        DataRef::DurationIso(s) => Value::Text(s),
        DataRef::Error(e) => Value::Error(e.to_string()),
    })
}

/// “2023-05-31T00:00:00”这类 ISO 日期（单元格类型 d）。
fn iso_date(s: &str) -> Option<Value> {
    let d = crate::date::Date::parse(s.get(..10)?).ok()?;
    Some(Value::Date {
        year: d.year,
        month: d.month,
        day: d.day,
    })
}

#[cfg(test)]
pub(crate) mod tests;

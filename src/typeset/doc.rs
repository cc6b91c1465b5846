//! 与后端无关的文档模型。表单、清单、通知都先构建为 `Document`，再交给渲染器。

use serde::Serialize;

/// 文档元数据（写入 PDF/A 的 XMP）。
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Meta {
    pub title: String,
    /// 作者：发文机关。
    pub author: String,
    pub subject: String,
    /// 语言，默认 "zh-CN"。
    pub language: String,
    /// 创建日期 (年, 月, 日)，来自配置或 SOURCE_DATE_EPOCH，从不取系统时钟。
    pub created: Option<(i32, u8, u8)>,
}

/// 页面方向。
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

/// 水平对齐。
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Align {
    #[default]
    Justify,
    Left,
    Center,
    Right,
}

/// 行内文字样式，对应公文字体角色。
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Style {
    /// 正文（仿宋）。
    #[default]
    Body,
    /// 黑体（一级标题、强调）。
    Hei,
    /// 楷体（二级标题）。
    Kai,
    /// 小标宋（标题）。
    Title,
    /// 正文字体印成红色：醒目的状态（如汇总表里的“未报送”）。
    Alert,
}

/// 一段同样式的文字。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

impl Span {
    pub fn body(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            style: Style::Body,
        }
    }
    pub fn styled(text: impl Into<String>, style: Style) -> Self {
        Self {
            text: text.into(),
            style,
        }
    }
}

/// 表格列宽：固定毫米数、按权重分配剩余宽度，或按内容定宽（短文字不折行，其余按各列
/// 最长内容分配剩余宽度）。任何一种都不窄于该列短文字（序号、状态、日期、单位名）的整段宽度。
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Width {
    Mm(f32),
    Weight(f32),
    Auto,
}

/// 表格单元格。被上方单元格纵向合并覆盖的位置在后续行中**不出现**（同 HTML 的 rowspan 约定）。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub text: String,
    pub style: Style,
    pub align: Align,
    pub col_span: u16,
    pub row_span: u16,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            style: Style::Body,
            align: Align::Left,
            col_span: 1,
            row_span: 1,
        }
    }
    pub fn center(mut self) -> Self {
        self.align = Align::Center;
        self
    }
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }
    pub fn rows(mut self, n: u16) -> Self {
        self.row_span = n.max(1);
        self
    }
    pub fn cols(mut self, n: u16) -> Self {
        self.col_span = n.max(1);
        self
    }
}

/// 表格行。
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Row {
    pub cells: Vec<Cell>,
}

/// 表格：表头行在每页重复；行放不下时跨页拆分；纵向合并单元格跨页时在下一页重复其文字并标“（续）”。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub columns: Vec<Width>,
    pub header: Vec<Row>,
    pub rows: Vec<Row>,
    /// 字号（磅），默认 14（4号）。
    pub font_size: f32,
}

/// 文档块。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    /// 公文标题：2号小标宋，居中，可多行。
    Title(Vec<Span>),
    /// 标题层级 1–4：“一、”黑体，“（一）”楷体，“1.”“（1）”正文字体。
    Heading {
        level: u8,
        content: Vec<Span>,
    },
    /// 段落；`indent` 为首行缩进两字。
    Paragraph {
        content: Vec<Span>,
        align: Align,
        indent: bool,
    },
    /// 列表（有序时条目前自动加“1.”）。
    List {
        ordered: bool,
        items: Vec<Vec<Span>>,
    },
    Table(Table),
    /// 落款：发文机关署名在上，成文日期在下，右对齐（日期右空四字）。
    Signature {
        issuer: String,
        date: String,
    },
    /// 强制换页。
    PageBreak,
    /// 空行（按正文行高计）。
    Spacer(u8),
}

/// 节：同一页面方向的一串块；节与节之间换页。
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Section {
    pub orientation: Orientation,
    pub blocks: Vec<Block>,
}

/// 整份文档。
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Document {
    pub meta: Meta,
    pub sections: Vec<Section>,
}

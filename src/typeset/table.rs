//! 表格排版：列宽（毫米或权重）、单元格内断行、垂直居中、全框线、表头每页重复、
//! 行跨页拆分、纵向合并单元格跨页时在下一页重复文字并加“（续）”。
//!
//! 网格与尺寸（列宽、单元格放置、断行、行高）在 `cells`；这里逐行分页并画出。

mod cells;

use super::doc::{Align, Table};
use super::layout::{emit_line, grid, Item, Layouter, ASCENT};
use super::text::{line_extra, Line, Shaped};
use cells::{
    block_heights, column_count, column_xs, content_widths, first_group_end, font_size, geometry,
    group_end, header_heights, keep_h, pad_x, prepare, rows_range, Geo, PCell, LEADING,
};

/// 表格各列宽度（磅），与 PDF 排版同一套规则；`width_of(文字, 字号)` 量文字的自然宽度
/// （Word 副本用估算的字宽）。
pub fn column_widths(t: &Table, total: f32, width_of: &dyn Fn(&str, f32) -> f32) -> Vec<f32> {
    let ncols = column_count(t);
    let content = content_widths(width_of, t, ncols, font_size(t), pad_x());
    let xs = column_xs(&t.columns, ncols, total, &content);
    xs.windows(2).map(|w| w[1] - w[0]).collect()
}

/// 画一个单元格：四边框线 + 垂直居中的若干行文字（`from..to`）。
#[allow(clippy::too_many_arguments)]
fn draw_cell(
    items: &mut Vec<Item>,
    geo: &Geo,
    c: &PCell,
    shaped: &Shaped,
    lines: &[Line],
    size: f32,
    y0: f32,
    y1: f32,
) {
    let (x0, x1) = (geo.xs[c.col], geo.xs[c.col + c.cols]);
    items.push(Item::Rule(x0, y0, x1, y0));
    items.push(Item::Rule(x0, y1, x1, y1));
    items.push(Item::Rule(x0, y0, x0, y1));
    items.push(Item::Rule(x1, y0, x1, y1));
    let pitch = size * LEADING;
    let room = ((y1 - y0 - 2.0 * geo.pad_y) / pitch + 0.01)
        .floor()
        .max(1.0) as usize;
    let lines = &lines[..lines.len().min(room)];
    let text_h = lines.len() as f32 * pitch;
    let top = y0 + ((y1 - y0) - text_h) / 2.0;
    let measure = x1 - x0 - 2.0 * geo.pad_x;
    for (k, line) in lines.iter().enumerate() {
        let x = match c.cell.align {
            Align::Left | Align::Justify => x0 + geo.pad_x,
            Align::Center => x0 + geo.pad_x + (measure - line.width).max(0.0) / 2.0,
            Align::Right => x1 - geo.pad_x - line.width.min(measure),
        };
        let extra = line_extra(shaped, line, measure, c.cell.align == Align::Justify, size);
        let baseline = top + k as f32 * pitch + (pitch - size) / 2.0 + ASCENT * size;
        emit_line(
            items, shaped, line.start, line.end, &extra, x, baseline, size,
        );
    }
}

/// 各单行单元格尚未画出的行（从 `offset` 起），画在 y0..y1 之间（放不下的截掉）。
fn draw_rest(
    items: &mut Vec<Item>,
    geo: &Geo,
    body: &[PCell],
    singles: &[usize],
    offset: &[usize],
    y0: f32,
    y1: f32,
) {
    for &i in singles {
        let c = &body[i];
        let lines = &c.lines[offset[i].min(c.lines.len())..];
        draw_cell(items, geo, c, &c.shaped, lines, c.size, y0, y1);
    }
}

fn draw_header(l: &mut Layouter, geo: &Geo, cells: &[PCell], heights: &[f32]) {
    let mut tops = vec![l.y];
    for h in heights {
        tops.push(tops.last().unwrap() + h);
    }
    for c in cells {
        draw_cell(
            &mut l.cur.items,
            geo,
            c,
            &c.shaped,
            &c.lines,
            c.size,
            tops[c.row],
            tops[c.row + c.rows],
        );
    }
    l.y = *tops.last().unwrap();
    l.fresh = false;
}

/// 当前页上一个尚未画出的纵向合并单元格片段。
struct Open {
    cell: usize,
    top: f32,
    cont: bool,
}

/// 表格开头（表头 + 第一行或第一组合并行）所需高度，供前面的标题判断能否与表格同页。
pub(crate) fn start_height(l: &mut Layouter, t: &Table) -> f32 {
    let (ncols, geo) = geometry(l, t);
    // 只是量一量：排版时还会再取字形，这里发现的缺字不重复报告。
    let missing = l.missing.len();
    let head = prepare(l, &t.header, ncols, &geo);
    let head_total: f32 = header_heights(&head, t.header.len(), &geo).iter().sum();
    let first = if t.rows.is_empty() {
        geo.text_h(1)
    } else {
        // 只取第一组所覆盖的行，免得把整张表多排一遍。
        let end = first_group_end(&t.rows, ncols);
        let body = prepare(l, &t.rows[..end], ncols, &geo);
        keep_h(&body, 0, &geo, l.height - head_total)
    };
    l.missing.truncate(missing);
    head_total + first
}

/// 排表格，必要时跨页。
pub(crate) fn layout_table(l: &mut Layouter, t: &Table) {
    let mut run = TableRun::start(l, t);
    let mut r = 0;
    while r < t.rows.len() {
        let (singles, starting) = run.row_cells(r);
        let avail = l.height - l.y;
        let at_top = (l.y - run.body_top).abs() < 0.01;
        let moves = run.group_moves(r, &singles, &starting, avail, at_top);
        let h = run.row_height(r, &singles, l.y);
        if !moves && h <= avail + 0.01 {
            run.draw_row(l, r, &singles, &starting, l.y + h);
            r += 1;
            continue;
        }
        // 放不下：能拆就拆（至少放两行），否则整行移到下一页。
        if !moves && run.should_split(&singles, avail, at_top) {
            run.split_row(l, &singles, &starting, avail);
        } else if at_top && !moves {
            // 行高由合并单元格撑大且整页也放不下：截到页底，续页再重复全文。
            run.draw_row(l, r, &singles, &starting, l.height);
            r += 1;
            if r >= t.rows.len() {
                break;
            }
        }
        run.next_page(l, r);
    }
    close_spans(l, &run.geo, &run.body, &mut run.open, |_| true);
    l.y += grid() / 2.0;
    l.fresh = false;
}

/// 一张表格排版途中的状态。
struct TableRun<'t> {
    geo: Geo,
    head: Vec<PCell<'t>>,
    head_h: Vec<f32>,
    body: Vec<PCell<'t>>,
    /// 一页表头下能放的正文高度：放得下的行（或整组合并行）不拆，整体移到下一页。
    cap: f32,
    min_row: f32,
    /// 单行单元格已画的行数（行被拆分时）。
    offset: Vec<usize>,
    /// 纵向合并单元格是否已开始画。
    opened: Vec<bool>,
    open: Vec<Open>,
    /// 本页表体（表头之下）的顶端。
    body_top: f32,
}

impl<'t> TableRun<'t> {
    /// 取字形、量尺寸，画第一页的表头（表头下放不下第一行（组）时先换页）。
    fn start(l: &mut Layouter, t: &'t Table) -> Self {
        let (ncols, geo) = geometry(l, t);
        let head = prepare(l, &t.header, ncols, &geo);
        let head_h = header_heights(&head, t.header.len(), &geo);
        let head_total: f32 = head_h.iter().sum();
        let body = prepare(l, &t.rows, ncols, &geo);
        let min_row = geo.text_h(1);
        let cap = l.height - head_total;
        // 表头下放不下第一行（组）时整表从下一页开始，不让表头独占页底。
        let first = if t.rows.is_empty() {
            min_row
        } else {
            keep_h(&body, 0, &geo, cap)
        };
        if !l.fresh && l.y + head_total + first > l.height + 0.01 {
            l.new_page();
        }
        draw_header(l, &geo, &head, &head_h);
        let n = body.len();
        TableRun {
            geo,
            head,
            head_h,
            body,
            cap,
            min_row,
            offset: vec![0; n],
            opened: vec![false; n],
            open: Vec::new(),
            body_top: l.y,
        }
    }

    /// 第 r 行起头的单元格：(单行单元格, 尚未开始画的纵向合并单元格)。
    fn row_cells(&self, r: usize) -> (Vec<usize>, Vec<usize>) {
        let body = &self.body;
        let range = rows_range(body, r, r + 1);
        let singles = range.clone().filter(|&i| body[i].rows == 1).collect();
        let starting = range
            .filter(|&i| body[i].rows > 1 && !self.opened[i])
            .collect();
        (singles, starting)
    }

    /// 第 i 格还没画的行数。
    fn remaining(&self, i: usize) -> usize {
        let c = &self.body[i];
        c.lines.len() - self.offset[i].min(c.lines.len())
    }

    /// 第 i 格在高 `avail` 的剩余空间里按自己的字号能放几行。
    fn fit(&self, i: usize, avail: f32) -> usize {
        ((avail - 2.0 * self.geo.pad_y) / (self.body[i].size * LEADING) + 0.01)
            .floor()
            .max(0.0) as usize
    }

    /// 第 r 行（从 y 起）的行高：单行单元格剩余文字所需高度，以及在本行收尾的合并格还差的高度。
    fn row_height(&self, r: usize, singles: &[usize], y: f32) -> f32 {
        let (geo, body) = (&self.geo, &self.body);
        let mut h = singles
            .iter()
            .map(|&i| geo.cell_h(&body[i], self.remaining(i)))
            .fold(self.min_row, f32::max);
        for o in self
            .open
            .iter()
            .filter(|o| body[o.cell].row + body[o.cell].rows - 1 == r)
        {
            let c = &body[o.cell];
            let need = match (&c.cont, o.cont) {
                (Some((_, ls, size)), true) => geo.lines_h(*size, ls.len()),
                _ => geo.cell_h(c, c.lines.len()),
            };
            h = h.max(need - (y - o.top));
        }
        h
    }

    /// 新起一组合并行（之前的合并格都已收尾）且整组放得进一页但本页剩余放不下：整组移到下一页。
    fn group_moves(
        &self,
        r: usize,
        singles: &[usize],
        starting: &[usize],
        avail: f32,
        at_top: bool,
    ) -> bool {
        !at_top
            && !starting.is_empty()
            && self.open.is_empty()
            && singles.iter().all(|&i| self.offset[i] == 0)
            && {
                let g: f32 = block_heights(&self.body, r, group_end(&self.body, r), &self.geo)
                    .iter()
                    .sum();
                g > avail + 0.01 && g <= self.cap + 0.01
            }
    }

    /// 只有整页（表头下）也放不下、且本页至少放得下两行（或已在页顶）的行才拆；否则整行移到下一页。
    fn should_split(&self, singles: &[usize], avail: f32, at_top: bool) -> bool {
        let least_fit = singles
            .iter()
            .map(|&i| self.fit(i, avail))
            .min()
            .unwrap_or(0);
        let overflow = singles
            .iter()
            .any(|&i| self.remaining(i) > self.fit(i, avail).max(1));
        let too_tall = singles
            .iter()
            .any(|&i| self.geo.cell_h(&self.body[i], self.remaining(i)) > self.cap + 0.01);
        (least_fit >= 2 || at_top) && overflow && too_tall
    }

    /// 把第 r 行剩下的文字画到 `bottom`，收掉在本行结束的合并格。
    fn draw_row(
        &mut self,
        l: &mut Layouter,
        r: usize,
        singles: &[usize],
        starting: &[usize],
        bottom: f32,
    ) {
        open_spans(&mut self.open, &mut self.opened, starting, l.y);
        let (geo, body) = (&self.geo, &self.body);
        draw_rest(
            &mut l.cur.items,
            geo,
            body,
            singles,
            &self.offset,
            l.y,
            bottom,
        );
        l.y = bottom;
        close_spans(l, geo, body, &mut self.open, |c| c.row + c.rows - 1 == r);
    }

    /// 拆行：各单行单元格画到页底能放下的行，其余留到下一页。
    fn split_row(&mut self, l: &mut Layouter, singles: &[usize], starting: &[usize], avail: f32) {
        open_spans(&mut self.open, &mut self.opened, starting, l.y);
        let bottom = l.height;
        for &i in singles {
            let c = &self.body[i];
            let from = self.offset[i].min(c.lines.len());
            let mut to = (from + self.fit(i, avail).max(1)).min(c.lines.len());
            // 不让一格只剩一行孤零零地转到下一页（本页至少还留两行时）。
            if c.lines.len() - to == 1 && to - from >= 3 {
                to -= 1;
            }
            let lines = &c.lines[from..to];
            draw_cell(
                &mut l.cur.items,
                &self.geo,
                c,
                &c.shaped,
                lines,
                c.size,
                l.y,
                bottom,
            );
            self.offset[i] = to;
        }
        l.y = bottom;
    }

    /// 收掉本页的合并格片段，换页、重复表头，跨到第 r 行及以后的合并格在新页接着画（续）。
    fn next_page(&mut self, l: &mut Layouter, r: usize) {
        close_spans(l, &self.geo, &self.body, &mut self.open, |_| true);
        let body = &self.body;
        let still: Vec<usize> = (0..body.len())
            .filter(|&i| self.opened[i] && body[i].row + body[i].rows > r && body[i].rows > 1)
            .collect();
        l.new_page();
        draw_header(l, &self.geo, &self.head, &self.head_h);
        self.body_top = l.y;
        for i in still {
            self.open.push(Open {
                cell: i,
                top: l.y,
                cont: true,
            });
        }
    }
}

fn open_spans(open: &mut Vec<Open>, opened: &mut [bool], starting: &[usize], y: f32) {
    for &i in starting {
        opened[i] = true;
        open.push(Open {
            cell: i,
            top: y,
            cont: false,
        });
    }
}

/// 画出（并移除）满足条件的合并单元格片段，底边在当前 y。
fn close_spans(
    l: &mut Layouter,
    geo: &Geo,
    body: &[PCell],
    open: &mut Vec<Open>,
    done: impl Fn(&PCell) -> bool,
) {
    let mut keep = Vec::new();
    for o in open.drain(..) {
        let c = &body[o.cell];
        if !done(c) {
            keep.push(o);
            continue;
        }
        if l.y - o.top < 0.01 {
            continue;
        }
        let (shaped, lines, size) = match (&c.cont, o.cont) {
            (Some((s, ls, size)), true) => (s, ls, *size),
            _ => (&c.shaped, &c.lines, c.size),
        };
        draw_cell(&mut l.cur.items, geo, c, shaped, lines, size, o.top, l.y);
    }
    *open = keep;
}

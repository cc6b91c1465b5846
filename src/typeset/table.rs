//! 表格排版：列宽（毫米或权重）、单元格内断行、垂直居中、全框线、表头每页重复、
//! 行跨页拆分、纵向合并单元格跨页时在下一页重复文字并加“（续）”。

use super::doc::{Align, Cell, Row, Span, Table, Width};
use super::layout::{emit_line, grid, mm, Item, Layouter, ASCENT};
use super::text::{break_lines, line_extra, Line, Shaped};

/// 放进网格的单元格。
struct PCell<'t> {
    row: usize,
    col: usize,
    cols: usize,
    rows: usize,
    cell: &'t Cell,
    /// 本格字号：有放不下的不可断词（如窄列里的“（续）”）时缩小到放得下。
    size: f32,
    shaped: Shaped,
    lines: Vec<Line>,
    /// 续页文字（原文 +“（续）”）及其字号，只有纵向合并的单元格才有。
    cont: Option<(Shaped, Vec<Line>, f32)>,
}

struct Geo {
    xs: Vec<f32>,
    size: f32,
    pitch: f32,
    pad_x: f32,
    pad_y: f32,
}

impl Geo {
    fn inner(&self, c: &PCell) -> f32 {
        (self.xs[c.col + c.cols] - self.xs[c.col] - 2.0 * self.pad_x).max(self.size)
    }
    fn text_h(&self, n: usize) -> f32 {
        n as f32 * self.pitch + 2.0 * self.pad_y
    }
    /// 某单元格 n 行文字所需高度。
    fn cell_h(&self, c: &PCell, n: usize) -> f32 {
        self.lines_h(c.size, n)
    }
    fn lines_h(&self, size: f32, n: usize) -> f32 {
        n as f32 * size * LEADING + 2.0 * self.pad_y
    }
}

/// 表格行距 = 字号 × 1.3。
const LEADING: f32 = 1.3;

/// 最宽的不可断片段（磅）。
fn widest_chunk(s: &Shaped, size: f32) -> f32 {
    let mut best: f32 = 0.0;
    let mut cur = 0.0;
    for (i, g) in s.glyphs.iter().enumerate() {
        if s.can_break[i] {
            cur = 0.0;
        }
        if g.ch != ' ' && g.ch != '\n' {
            cur += g.adv * size;
        }
        best = best.max(cur);
    }
    best
}

/// 字号：不可断片段放不下时按比例缩小（不小于 6 磅），避免在禁则处硬断。
fn fit_size(s: &Shaped, size: f32, inner: f32) -> f32 {
    let w = widest_chunk(s, size);
    if w > inner {
        (size * inner / w).max(6.0)
    } else {
        size
    }
}

/// 列宽：固定毫米先扣除，剩余宽度按权重分配；固定宽度之和超过版心时按比例压缩。
fn column_xs(cols: &[Width], ncols: usize, total: f32) -> Vec<f32> {
    let cols: Vec<Width> = (0..ncols)
        .map(|i| cols.get(i).copied().unwrap_or(Width::Weight(1.0)))
        .collect();
    let fixed: f32 = cols
        .iter()
        .map(|w| if let Width::Mm(v) = w { mm(*v) } else { 0.0 })
        .sum();
    let weights: f32 = cols
        .iter()
        .map(|w| {
            if let Width::Weight(v) = w {
                v.max(0.0)
            } else {
                0.0
            }
        })
        .sum();
    let scale = if fixed > total || (weights == 0.0 && fixed > 0.0) {
        total / fixed
    } else {
        1.0
    };
    let rest = (total - fixed * scale).max(0.0);
    let mut xs = vec![0.0];
    let mut x = 0.0;
    for w in &cols {
        x += match w {
            Width::Mm(v) => mm(*v) * scale,
            Width::Weight(v) if weights > 0.0 => rest * v.max(0.0) / weights,
            Width::Weight(_) => 0.0,
        };
        xs.push(x);
    }
    xs
}

/// 按 HTML rowspan 约定把各行单元格放进网格。
fn place(rows: &[Row], ncols: usize) -> Vec<(usize, usize, usize, usize, &Cell)> {
    let mut out = Vec::new();
    let mut covered = vec![0usize; ncols];
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for cell in &row.cells {
            while c < ncols && covered[c] > 0 {
                c += 1;
            }
            if c >= ncols {
                // 多出来的单元格：不能静默丢掉，并入本行最后一格显示。
                out.push((r, ncols - 1, 1, 1, cell));
                continue;
            }
            let cols = (cell.col_span.max(1) as usize).min(ncols - c);
            let span = (cell.row_span.max(1) as usize).min(rows.len() - r);
            covered[c..c + cols].fill(span);
            out.push((r, c, cols, span, cell));
            c += cols;
        }
        for v in covered.iter_mut() {
            *v = v.saturating_sub(1);
        }
    }
    out
}

fn prepare<'t>(l: &mut Layouter, rows: &'t [Row], ncols: usize, geo: &Geo) -> Vec<PCell<'t>> {
    place(rows, ncols)
        .into_iter()
        .map(|(row, col, cols, span, cell)| {
            let mut p = PCell {
                row,
                col,
                cols,
                rows: span,
                cell,
                size: geo.size,
                shaped: l.shape(&[Span::styled(&cell.text, cell.style)]),
                lines: Vec::new(),
                cont: None,
            };
            let w = geo.inner(&p);
            let brk = break_lines;
            p.size = fit_size(&p.shaped, geo.size, w);
            p.lines = brk(&p.shaped, p.size, w, w);
            if span > 1 {
                // 续页文字单独定字号：窄列里“（续）”放不下时只缩小续页这一格。
                let s = l.shape(&[Span::styled(format!("{}（续）", cell.text), cell.style)]);
                let size = fit_size(&s, geo.size, w);
                let lines = brk(&s, size, w, w);
                p.cont = Some((s, lines, size));
            }
            p
        })
        .collect()
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
        let extra = line_extra(shaped, line, measure, c.cell.align == Align::Justify);
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

/// 行高：各单行单元格所需高度的最大值；纵向合并单元格不够高时把差额加在它的最后一行。
fn header_heights(cells: &[PCell], nrows: usize, geo: &Geo) -> Vec<f32> {
    block_heights(cells, 0, nrows, geo)
}

/// `from..to` 各行不拆分时的行高（同 [`header_heights`]，只看起止都在范围内的单元格）。
fn block_heights(cells: &[PCell], from: usize, to: usize, geo: &Geo) -> Vec<f32> {
    let mut h = vec![geo.text_h(1); to - from];
    let inside = |c: &&PCell| c.row >= from && c.row + c.rows <= to;
    for c in cells.iter().filter(inside).filter(|c| c.rows == 1) {
        h[c.row - from] = h[c.row - from].max(geo.cell_h(c, c.lines.len()));
    }
    for c in cells.iter().filter(inside).filter(|c| c.rows > 1) {
        let (a, b) = (c.row - from, c.row - from + c.rows);
        let have: f32 = h[a..b].iter().sum();
        let need = geo.cell_h(c, c.lines.len());
        if need > have {
            h[b - 1] += need - have;
        }
    }
    h
}

/// 从第 r 行起不可分开的一组行的末行（不含）：r 行起头的纵向合并单元格所覆盖的行，
/// 连同组内再起头、伸得更远的合并单元格。r 行没有合并单元格起头时就是 r 行自己。
fn group_end(cells: &[PCell], r: usize) -> usize {
    let mut end = r + 1;
    let mut i = r;
    while i < end {
        for c in cells.iter().filter(|c| c.row == i && c.rows > 1) {
            end = end.max(c.row + c.rows);
        }
        i += 1;
    }
    end
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

/// 列数和几何参数。
fn geometry(l: &Layouter, t: &Table) -> (usize, Geo) {
    let ncols = if t.columns.is_empty() {
        t.header
            .iter()
            .chain(&t.rows)
            .map(|r| r.cells.iter().map(|c| c.col_span.max(1) as usize).sum())
            .max()
            .unwrap_or(1)
    } else {
        t.columns.len()
    };
    let size = if t.font_size > 0.0 { t.font_size } else { 14.0 };
    let geo = Geo {
        xs: column_xs(&t.columns, ncols, l.width),
        size,
        pitch: size * LEADING,
        pad_x: mm(1.5),
        pad_y: mm(1.2),
    };
    (ncols, geo)
}

/// 第 r 行起整行（整组合并行）不拆时的高度；整页（表头下高 `cap`）也放不下的，
/// 只要求本页至少放下两行字（不留孤行）。
fn keep_h(body: &[PCell], r: usize, geo: &Geo, cap: f32) -> f32 {
    let h: f32 = block_heights(body, r, group_end(body, r), geo).iter().sum();
    if h <= cap + 0.01 {
        h
    } else {
        geo.text_h(2)
    }
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
        let placed: Vec<(usize, usize)> = place(&t.rows, ncols)
            .into_iter()
            .map(|(r, _, _, span, _)| (r, span))
            .collect();
        let mut end = 1;
        let mut i = 0;
        while i < end {
            for &(r, span) in placed.iter().filter(|p| p.0 == i) {
                end = end.max(r + span);
            }
            i += 1;
        }
        let body = prepare(l, &t.rows[..end], ncols, &geo);
        keep_h(&body, 0, &geo, l.height - head_total)
    };
    l.missing.truncate(missing);
    head_total + first
}

/// 排表格，必要时跨页。
pub(crate) fn layout_table(l: &mut Layouter, t: &Table) {
    let (ncols, geo) = geometry(l, t);
    let head = prepare(l, &t.header, ncols, &geo);
    let head_h = header_heights(&head, t.header.len(), &geo);
    let head_total: f32 = head_h.iter().sum();
    let body = prepare(l, &t.rows, ncols, &geo);
    let min_row = geo.text_h(1);
    // 一页表头下能放的正文高度：放得下的行（或整组合并行）不拆，整体移到下一页。
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
    let mut body_top = l.y;

    let mut offset = vec![0usize; body.len()]; // 单行单元格已画的行数（行被拆分时）
    let mut opened = vec![false; body.len()];
    let mut open: Vec<Open> = Vec::new();
    let mut r = 0;
    while r < t.rows.len() {
        let singles: Vec<usize> = (0..body.len())
            .filter(|&i| body[i].row == r && body[i].rows == 1)
            .collect();
        let starting: Vec<usize> = (0..body.len())
            .filter(|&i| body[i].row == r && body[i].rows > 1 && !opened[i])
            .collect();
        let remaining =
            |i: usize, off: &[usize]| body[i].lines.len() - off[i].min(body[i].lines.len());
        let mut h = singles
            .iter()
            .map(|&i| geo.cell_h(&body[i], remaining(i, &offset)))
            .fold(min_row, f32::max);
        for o in open
            .iter()
            .filter(|o| body[o.cell].row + body[o.cell].rows - 1 == r)
        {
            let c = &body[o.cell];
            let need = match (&c.cont, o.cont) {
                (Some((_, ls, size)), true) => geo.lines_h(*size, ls.len()),
                _ => geo.cell_h(c, c.lines.len()),
            };
            h = h.max(need - (l.y - o.top));
        }
        let avail = l.height - l.y;
        let at_top = (l.y - body_top).abs() < 0.01;
        // 新起一组合并行（之前的合并格都已收尾）且整组放得进一页但本页剩余放不下：整组移到下一页。
        let group_moves = !at_top
            && !starting.is_empty()
            && open.is_empty()
            && singles.iter().all(|&i| offset[i] == 0)
            && {
                let g: f32 = block_heights(&body, r, group_end(&body, r), &geo)
                    .iter()
                    .sum();
                g > avail + 0.01 && g <= cap + 0.01
            };
        if !group_moves && h <= avail + 0.01 {
            open_spans(&mut open, &mut opened, &starting, l.y);
            draw_rest(
                &mut l.cur.items,
                &geo,
                &body,
                &singles,
                &offset,
                l.y,
                l.y + h,
            );
            l.y += h;
            close_spans(l, &geo, &body, &mut open, |c| c.row + c.rows - 1 == r);
            r += 1;
            continue;
        }
        // 放不下：能拆就拆（至少放两行），否则整行移到下一页。
        // 每格按自己的字号算能放几行。
        let fit = |i: usize| {
            ((avail - 2.0 * geo.pad_y) / (body[i].size * LEADING) + 0.01)
                .floor()
                .max(0.0) as usize
        };
        let least_fit = singles.iter().map(|&i| fit(i)).min().unwrap_or(0);
        let overflow = singles
            .iter()
            .any(|&i| remaining(i, &offset) > fit(i).max(1));
        // 只有整页（表头下）也放不下的行才拆；否则整行移到下一页。
        let too_tall = singles
            .iter()
            .any(|&i| geo.cell_h(&body[i], remaining(i, &offset)) > cap + 0.01);
        let split = !group_moves && (least_fit >= 2 || at_top) && overflow && too_tall;
        if split {
            open_spans(&mut open, &mut opened, &starting, l.y);
            let bottom = l.height;
            for &i in &singles {
                let from = offset[i].min(body[i].lines.len());
                let mut to = (from + fit(i).max(1)).min(body[i].lines.len());
                // 不让一格只剩一行孤零零地转到下一页（本页至少还留两行时）。
                if body[i].lines.len() - to == 1 && to - from >= 3 {
                    to -= 1;
                }
                draw_cell(
                    &mut l.cur.items,
                    &geo,
                    &body[i],
                    &body[i].shaped,
                    &body[i].lines[from..to],
                    body[i].size,
                    l.y,
                    bottom,
                );
                offset[i] = to;
            }
            l.y = bottom;
        } else if at_top && !group_moves {
            // 行高由合并单元格撑大且整页也放不下：截到页底，续页再重复全文。
            open_spans(&mut open, &mut opened, &starting, l.y);
            draw_rest(
                &mut l.cur.items,
                &geo,
                &body,
                &singles,
                &offset,
                l.y,
                l.height,
            );
            l.y = l.height;
            close_spans(l, &geo, &body, &mut open, |c| c.row + c.rows - 1 == r);
            r += 1;
            if r >= t.rows.len() {
                break;
            }
        }
        close_spans(l, &geo, &body, &mut open, |_| true);
        let still: Vec<usize> = (0..body.len())
            .filter(|&i| opened[i] && body[i].row + body[i].rows > r && body[i].rows > 1)
            .collect();
        l.new_page();
        draw_header(l, &geo, &head, &head_h);
        body_top = l.y;
        for i in still {
            open.push(Open {
                cell: i,
                top: l.y,
                cont: true,
            });
        }
    }
    close_spans(l, &geo, &body, &mut open, |_| true);
    l.y += grid() / 2.0;
    l.fresh = false;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rowspans_and_colspans_land_in_the_right_columns() {
        // 附表1 的两行表头 + 一组合并行：序号、责任事项跨 2 行。
        let rows = vec![
            Row {
                cells: vec![
                    Cell::new("序号").rows(2),
                    Cell::new("方案").cols(2),
                    Cell::new("备注").rows(2),
                ],
            },
            Row {
                cells: vec![Cell::new("内容"), Cell::new("时间")],
            },
            Row {
                cells: vec![
                    Cell::new("1").rows(3),
                    Cell::new("a"),
                    Cell::new("3月"),
                    Cell::new(""),
                ],
            },
            Row {
                cells: vec![Cell::new("b"), Cell::new("6月"), Cell::new("")],
            },
        ];
        let placed: Vec<(usize, usize, usize, usize, &str)> = place(&rows, 4)
            .into_iter()
            .map(|(r, c, cols, span, cell)| (r, c, cols, span, cell.text.as_str()))
            .collect();
        assert_eq!(
            placed,
            vec![
                (0, 0, 1, 2, "序号"),
                (0, 1, 2, 1, "方案"),
                (0, 3, 1, 2, "备注"),
                (1, 1, 1, 1, "内容"),
                (1, 2, 1, 1, "时间"),
                // 跨 3 行但表只剩 2 行：截到表尾。
                (2, 0, 1, 2, "1"),
                (2, 1, 1, 1, "a"),
                (2, 2, 1, 1, "3月"),
                (2, 3, 1, 1, ""),
                (3, 1, 1, 1, "b"),
                (3, 2, 1, 1, "6月"),
                (3, 3, 1, 1, ""),
            ]
        );
    }

    #[test]
    fn column_widths_fixed_then_weighted() {
        let xs = column_xs(
            &[Width::Mm(20.0), Width::Weight(1.0), Width::Weight(3.0)],
            3,
            mm(100.0),
        );
        assert!((xs[1] - mm(20.0)).abs() < 0.01);
        assert!((xs[2] - mm(40.0)).abs() < 0.01);
        assert!((xs[3] - mm(100.0)).abs() < 0.01);
        // 固定宽度超过版心：按比例压缩，不超出。
        let xs = column_xs(&[Width::Mm(80.0), Width::Mm(80.0)], 2, mm(100.0));
        assert!((xs[2] - mm(100.0)).abs() < 0.01);
    }
}

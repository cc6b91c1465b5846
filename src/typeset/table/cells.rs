//! 表格的网格与尺寸：列宽、单元格按 rowspan/colspan 放进网格、取字形并断行、字号缩小、
//! 行高与不可拆开的行组。只量不画；分页与绘制见上级模块 `table`。

use crate::typeset::doc::{Cell, Row, Span, Table, Width};
use crate::typeset::layout::{mm, text_width, Layouter};
use crate::typeset::text::{break_lines, Line, Shaped};

/// 放进网格的单元格。
pub(super) struct PCell<'t> {
    pub(super) row: usize,
    pub(super) col: usize,
    pub(super) cols: usize,
    pub(super) rows: usize,
    pub(super) cell: &'t Cell,
    /// 本格字号：有放不下的不可断词（如窄列里的“（续）”）时缩小到放得下。
    pub(super) size: f32,
    pub(super) shaped: Shaped,
    pub(super) lines: Vec<Line>,
    /// 续页文字（原文 +“（续）”）及其字号，只有纵向合并的单元格才有。
    pub(super) cont: Option<(Shaped, Vec<Line>, f32)>,
}

pub(super) struct Geo {
    pub(super) xs: Vec<f32>,
    pub(super) size: f32,
    pub(super) pitch: f32,
    pub(super) pad_x: f32,
    pub(super) pad_y: f32,
}

impl Geo {
    pub(super) fn inner(&self, c: &PCell) -> f32 {
        (self.xs[c.col + c.cols] - self.xs[c.col] - 2.0 * self.pad_x).max(self.size)
    }
    pub(super) fn text_h(&self, n: usize) -> f32 {
        n as f32 * self.pitch + 2.0 * self.pad_y
    }
    /// 某单元格 n 行文字所需高度。
    pub(super) fn cell_h(&self, c: &PCell, n: usize) -> f32 {
        self.lines_h(c.size, n)
    }
    pub(super) fn lines_h(&self, size: f32, n: usize) -> f32 {
        n as f32 * size * LEADING + 2.0 * self.pad_y
    }
}

/// 表格行距 = 字号 × 1.3。
pub(super) const LEADING: f32 = 1.3;

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

/// 各列内容的宽度（磅，含左右留白）。
#[derive(Debug, Clone, Default)]
pub(super) struct Content {
    /// 按内容定宽的列的最小宽度：列中短文字整段的宽度（见 [`KEEP_WHOLE_EM`]）。
    pub(super) min: Vec<f32>,
    /// 按权重的列的最小宽度：只保证很短的文字（序号、状态、“分管领导”，见 [`KEEP_LABEL_EM`]）不折行，
    /// 单位名等照常按权重折行，免得挤窄任务正文那一列。
    pub(super) min_label: Vec<f32>,
    /// 不折行时最宽的一格。
    pub(super) max: Vec<f32>,
    /// 各格不折行时的平均宽度：按内容定宽的列按它分余下的宽度。
    pub(super) mean: Vec<f32>,
}

/// 列宽：固定毫米先扣除（之和超过版心时按比例压缩），剩余宽度分给其余各列：
/// 按权重的列按权重分，按内容的列在最小宽度之上按（最宽 − 最小）分；都不窄于最小宽度
/// （最小宽度之和超过剩余宽度时按比例缩小）。
pub(super) fn column_xs(cols: &[Width], ncols: usize, total: f32, content: &Content) -> Vec<f32> {
    let cols: Vec<Width> = (0..ncols)
        .map(|i| cols.get(i).copied().unwrap_or(Width::Weight(1.0)))
        .collect();
    let fixed: f32 = cols
        .iter()
        .map(|w| if let Width::Mm(v) = w { mm(*v) } else { 0.0 })
        .sum();
    let flexible = cols.iter().any(|w| !matches!(w, Width::Mm(_)));
    let scale = if fixed > total || (!flexible && fixed > 0.0) {
        total / fixed
    } else {
        1.0
    };
    let rest = (total - fixed * scale).max(0.0);
    let widths = share(&cols, rest, content);
    let mut xs = vec![0.0];
    let mut x = 0.0;
    for (w, ww) in cols.iter().zip(widths) {
        x += match w {
            Width::Mm(v) => mm(*v) * scale,
            _ => ww,
        };
        xs.push(x);
    }
    xs
}

/// 分剩余宽度 `rest`：有按内容定宽的列时见 [`auto_share`]，否则按权重分（[`weighted`]）。
fn share(cols: &[Width], rest: f32, c: &Content) -> Vec<f32> {
    if cols.contains(&Width::Auto) {
        auto_share(cols, rest, c)
    } else {
        weighted(cols, rest, &c.min_label)
    }
}

/// 按权重分 `rest`：分到的比最小宽度窄的列定为最小宽度，其余列再按权重分剩下的
/// （最小宽度之和超过 `rest` 时按比例缩小）。
fn weighted(cols: &[Width], rest: f32, mins: &[f32]) -> Vec<f32> {
    let weight = |i: usize| match cols[i] {
        Width::Weight(v) => v.max(0.0),
        _ => 0.0,
    };
    let flexible: Vec<usize> = (0..cols.len()).filter(|&i| weight(i) > 0.0).collect();
    let min = |i: usize| mins.get(i).copied().unwrap_or(0.0);
    let need: f32 = flexible.iter().map(|&i| min(i)).sum();
    let shrink = if need > rest && need > 0.0 {
        rest / need
    } else {
        1.0
    };
    let mut out = vec![0.0; cols.len()];
    let mut pinned = vec![false; cols.len()];
    loop {
        let fixed: f32 = flexible
            .iter()
            .filter(|&&i| pinned[i])
            .map(|&i| min(i) * shrink)
            .sum();
        let w: f32 = flexible
            .iter()
            .filter(|&&i| !pinned[i])
            .map(|&i| weight(i))
            .sum();
        let mut changed = false;
        for &i in &flexible {
            out[i] = if pinned[i] {
                min(i) * shrink
            } else {
                (rest - fixed).max(0.0) * weight(i) / w.max(f32::MIN_POSITIVE)
            };
            if !pinned[i] && out[i] < min(i) * shrink - 0.01 {
                pinned[i] = true;
                changed = true;
            }
        }
        if !changed {
            return out;
        }
    }
}

/// 按内容分 `rest`：先给每列最小宽度，余下的按各列内容的平均宽度分（长短不一的列不因一两格
/// 特长就占去大半），每列到最宽内容为止；都到了最宽还有余，按宽度比例分，表格仍占满版心。
fn auto_share(cols: &[Width], rest: f32, c: &Content) -> Vec<f32> {
    let at = |v: &[f32], i: usize| v.get(i).copied().unwrap_or(0.0);
    let flex: Vec<usize> = (0..cols.len())
        .filter(|&i| !matches!(cols[i], Width::Mm(_)))
        .collect();
    let need: f32 = flex.iter().map(|&i| at(&c.min, i)).sum();
    let shrink = if need > rest && need > 0.0 {
        rest / need
    } else {
        1.0
    };
    let mut out = vec![0.0; cols.len()];
    for &i in &flex {
        out[i] = at(&c.min, i) * shrink;
    }
    let mut left = rest - need * shrink;
    // 每轮至少有一列到顶或分完，列数轮之内结束。
    for _ in 0..=cols.len() {
        let room: Vec<f32> = (0..cols.len())
            .map(|i| match cols[i] {
                Width::Auto => (at(&c.max, i) - out[i]).max(0.0),
                Width::Weight(_) => f32::MAX,
                Width::Mm(_) => 0.0,
            })
            .collect();
        let weight = |i: usize| {
            if room[i] <= 0.01 {
                0.0
            } else if let Width::Weight(v) = cols[i] {
                v.max(0.0)
            } else {
                at(&c.mean, i).max(1.0)
            }
        };
        let total: f32 = flex.iter().map(|&i| weight(i)).sum();
        if left <= 0.01 || total <= 0.0 {
            break;
        }
        let mut used = 0.0;
        for &i in &flex {
            let add = (left * weight(i) / total).min(room[i]);
            out[i] += add;
            used += add;
        }
        left -= used;
    }
    if left > 0.01 {
        let sum: f32 = flex.iter().map(|&i| out[i]).sum();
        for &i in &flex {
            out[i] += left * out[i] / sum.max(f32::MIN_POSITIVE);
        }
    }
    out
}

/// 不折行的短文字上限（em）：序号、状态、日期、单位名这类格子整段放在一行。
const KEEP_WHOLE_EM: f32 = 10.5;
/// 按权重的列中不折行的标签上限（em）。
const KEEP_LABEL_EM: f32 = 4.5;

/// 各列内容宽度：只看不跨列的单元格（表头和表体），加左右留白。列举中的各项（顿号隔开的单位名）
/// 另按各项算最小宽度，使单位名不在中间折断。
pub(super) fn content_widths(
    width_of: &dyn Fn(&str, f32) -> f32,
    t: &Table,
    ncols: usize,
    size: f32,
    pad_x: f32,
) -> Content {
    let mut c = Content {
        min: vec![0.0; ncols],
        min_label: vec![0.0; ncols],
        max: vec![0.0; ncols],
        mean: vec![0.0; ncols],
    };
    let mut count = vec![0usize; ncols];
    for rows in [&t.header, &t.rows] {
        for (_, col, cols, _, cell) in place(rows, ncols) {
            if cols != 1 {
                continue;
            }
            let w = cell
                .text
                .split('\n')
                .map(|line| width_of(line, size))
                .fold(0.0, f32::max)
                + 2.0 * pad_x
                + 0.5;
            c.max[col] = c.max[col].max(w);
            c.mean[col] += w;
            count[col] += 1;
            // 列举（“区发改局、区科经局”）可以在顿号处折行，不算短文字。
            let list = cell.text.contains(['、', '，', '；', ',', ';']);
            if !cell.text.contains('\n') && !list && w <= KEEP_WHOLE_EM * size {
                c.min[col] = c.min[col].max(w);
            }
            if !cell.text.contains('\n') && w <= KEEP_LABEL_EM * size {
                c.min_label[col] = c.min_label[col].max(w);
            }
            if list {
                for item in cell.text.split(['、', '，', '；', ',', ';']) {
                    let w = width_of(item, size) + size + 2.0 * pad_x + 0.5;
                    if w <= KEEP_WHOLE_EM * size {
                        c.min[col] = c.min[col].max(w);
                    }
                }
            }
        }
    }
    for (m, n) in c.mean.iter_mut().zip(&count) {
        *m /= (*n).max(1) as f32;
    }
    c
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

pub(super) fn prepare<'t>(
    l: &mut Layouter,
    rows: &'t [Row],
    ncols: usize,
    geo: &Geo,
) -> Vec<PCell<'t>> {
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
            p.size = fit_size(&p.shaped, geo.size, w);
            p.lines = break_lines(&p.shaped, p.size, w, w);
            if span > 1 {
                // 续页文字单独定字号：窄列里“（续）”放不下时只缩小续页这一格。
                let s = l.shape(&[Span::styled(format!("{}（续）", cell.text), cell.style)]);
                let size = fit_size(&s, geo.size, w);
                let lines = break_lines(&s, size, w, w);
                p.cont = Some((s, lines, size));
            }
            p
        })
        .collect()
}

/// 行高：各单行单元格所需高度的最大值；纵向合并单元格不够高时把差额加在它的最后一行。
pub(super) fn header_heights(cells: &[PCell], nrows: usize, geo: &Geo) -> Vec<f32> {
    block_heights(cells, 0, nrows, geo)
}

/// `from..to` 各行不拆分时的行高（同 [`header_heights`]，只看起止都在范围内的单元格）。
pub(super) fn block_heights(cells: &[PCell], from: usize, to: usize, geo: &Geo) -> Vec<f32> {
    let mut h = vec![geo.text_h(1); to - from];
    let inside = |c: &&PCell| c.row >= from && c.row + c.rows <= to;
    // 只看起头在 from..to 的单元格（按行排好序，二分取范围）：逐行调用时总量与行数成线性。
    let cells = &cells[rows_range(cells, from, to)];
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
pub(super) fn group_end(cells: &[PCell], r: usize) -> usize {
    let mut end = r + 1;
    let mut i = r;
    while i < end {
        for c in cells[rows_range(cells, i, i + 1)]
            .iter()
            .filter(|c| c.rows > 1)
        {
            end = end.max(c.row + c.rows);
        }
        i += 1;
    }
    end
}

/// 起头行在 `from..to` 的单元格在 `cells` 中的下标范围。`cells` 按起头行排序（[`place`] 逐行放置）。
pub(super) fn rows_range(cells: &[PCell], from: usize, to: usize) -> std::ops::Range<usize> {
    debug_assert!(cells.windows(2).all(|w| w[0].row <= w[1].row));
    cells.partition_point(|c| c.row < from)..cells.partition_point(|c| c.row < to)
}

/// 第一组不可分开的行（见 [`group_end`]）的末行（不含），只看合并格的跨行数，不取字形。
pub(super) fn first_group_end(rows: &[Row], ncols: usize) -> usize {
    let placed: Vec<(usize, usize)> = place(rows, ncols)
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
    end
}

/// 列数：写明的列宽个数，没写时为各行（含跨列）单元格数的最大值。
pub(super) fn column_count(t: &Table) -> usize {
    if t.columns.is_empty() {
        t.header
            .iter()
            .chain(&t.rows)
            .map(|r| r.cells.iter().map(|c| c.col_span.max(1) as usize).sum())
            .max()
            .unwrap_or(1)
    } else {
        t.columns.len()
    }
}

/// 表格字号（磅），默认 14。
pub(super) fn font_size(t: &Table) -> f32 {
    if t.font_size > 0.0 {
        t.font_size
    } else {
        14.0
    }
}

/// 单元格左右留白。
pub(super) fn pad_x() -> f32 {
    mm(1.5)
}

/// 列数和几何参数。
pub(super) fn geometry(l: &Layouter, t: &Table) -> (usize, Geo) {
    let ncols = column_count(t);
    let size = font_size(t);
    let pad_x = pad_x();
    let width_of = |s: &str, size: f32| text_width(l.fonts, s, size);
    let content = content_widths(&width_of, t, ncols, size, pad_x);
    let geo = Geo {
        xs: column_xs(&t.columns, ncols, l.width, &content),
        size,
        pitch: size * LEADING,
        pad_x,
        pad_y: mm(1.2),
    };
    (ncols, geo)
}

/// 第 r 行起整行（整组合并行）不拆时的高度；整页（表头下高 `cap`）也放不下的，
/// 只要求本页至少放下两行字（不留孤行）。
pub(super) fn keep_h(body: &[PCell], r: usize, geo: &Geo, cap: f32) -> f32 {
    let h: f32 = block_heights(body, r, group_end(body, r), geo).iter().sum();
    if h <= cap + 0.01 {
        h
    } else {
        geo.text_h(2)
    }
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
            &Content::default(),
        );
        assert!((xs[1] - mm(20.0)).abs() < 0.01);
        assert!((xs[2] - mm(40.0)).abs() < 0.01);
        assert!((xs[3] - mm(100.0)).abs() < 0.01);
        // 固定宽度超过版心：按比例压缩，不超出。
        let xs = column_xs(
            &[Width::Mm(80.0), Width::Mm(80.0)],
            2,
            mm(100.0),
            &Content::default(),
        );
        assert!((xs[2] - mm(100.0)).abs() < 0.01);
        // 最小宽度：窄列撑到最小宽度，其余按权重分剩下的；最小宽度之和超出时按比例缩小。
        let mins = |min: Vec<f32>, max: Vec<f32>| Content {
            min_label: min.clone(),
            mean: max.clone(),
            min,
            max,
        };
        let w = [Width::Weight(1.0), Width::Weight(9.0)];
        let xs = column_xs(&w, 2, mm(100.0), &mins(vec![mm(25.0), 0.0], vec![]));
        assert!((xs[1] - mm(25.0)).abs() < 0.01, "{xs:?}");
        assert!((xs[2] - mm(100.0)).abs() < 0.01);
        let xs = column_xs(&w, 2, mm(100.0), &mins(vec![mm(150.0), mm(50.0)], vec![]));
        assert!((xs[1] - mm(75.0)).abs() < 0.01, "{xs:?}");
        // 按内容：短列（序号、日期）正好整段，长列分其余。
        let a = [Width::Auto, Width::Auto, Width::Auto];
        let c = mins(
            vec![mm(10.0), mm(20.0), mm(30.0)],
            vec![mm(10.0), mm(200.0), mm(30.0)],
        );
        let xs = column_xs(&a, 3, mm(156.0), &c);
        assert!(
            (xs[1] - mm(10.0)).abs() < 0.01 && (xs[3] - xs[2] - mm(30.0)).abs() < 0.01,
            "{xs:?}"
        );
    }
}

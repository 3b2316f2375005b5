//! The Browse table: the chosen columns at widths that fill the window (sideways scrolling
//! when they cannot fit), rows tinted as Anki tints them (a flag's colour, suspended yellow,
//! buried grey), full texts on hover, a header menu to choose the columns, and the right-click
//! menu of the selection.

use std::collections::HashSet;

use egui::{Align, Color32, Layout, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::actions::{self, BulkAction, Selection};
use super::columns::{self, Col, Today};
use crate::model::card::BrowseRow;

/// Gap between columns.
const GAP: f32 = 8.0;

/// What the table shows.
pub struct View<'a> {
    pub rows: &'a [BrowseRow],
    pub order: &'a [u32],
    pub selected: &'a HashSet<i64>,
    pub cols: &'a [Col],
    pub sort: (Col, bool),
    pub today: Today,
    pub fsrs: bool,
    /// A row to bring into view this frame.
    pub scroll_to: Option<usize>,
    /// The selection, read when its menu opens (not every frame: it walks every row).
    pub selection: &'a dyn Fn() -> Selection,
}

/// What the learner did to the table this frame.
#[derive(Default)]
pub struct Output {
    pub clicked: Option<(usize, egui::Modifiers)>,
    /// A right-click on a row that is not selected: select it alone first.
    pub secondary: Option<usize>,
    pub double_clicked: Option<usize>,
    pub sort: Option<Col>,
    pub action: Option<BulkAction>,
    pub cols: Option<Vec<Col>>,
}

/// Suspended rows' tint (Anki's yellow) and buried rows' (grey), by theme.
fn tint(ui: &Ui, r: &BrowseRow) -> Option<Color32> {
    let p = crate::ui::theme::palette(ui.visuals());
    if let Some((_, color)) = crate::ui::flag_colored(ui.visuals(), r.flag) {
        return Some(color.gamma_multiply(p.flag_tint));
    }
    if r.suspended {
        return Some(p.suspended);
    }
    r.buried.then_some(p.buried)
}

/// The menu of columns to show; the new choice when one was ticked or unticked.
pub fn columns_menu(ui: &mut Ui, cols: &[Col], fsrs: bool) -> Option<Vec<Col>> {
    let mut changed = None;
    for col in Col::ALL.into_iter().filter(|c| c.offered(fsrs)) {
        let mut shown = cols.contains(&col);
        // The question stays: a row needs something to tell it by.
        let enabled = col != Col::Question;
        if ui
            .add_enabled(enabled, egui::Checkbox::new(&mut shown, col.name()))
            .changed()
        {
            let mut next: Vec<Col> = Col::ALL
                .into_iter()
                .filter(|c| if *c == col { shown } else { cols.contains(c) })
                .collect();
            next.dedup();
            changed = Some(next);
        }
    }
    ui.separator();
    if ui.button("Default columns").clicked() {
        changed = Some(Col::default_set(fsrs));
    }
    changed
}

pub fn show(ui: &mut Ui, view: &View<'_>) -> Output {
    let mut out = Output::default();
    // Rows are clicked to select them, not to select their text.
    ui.style_mut().interaction.selectable_labels = false;
    let widths = columns::widths(view.cols, ui.available_width() - 12.0, GAP);
    let row_height = egui::TextStyle::Body.resolve(ui.style()).size + 8.0;
    egui::ScrollArea::horizontal()
        .id_salt("browse_sideways")
        .show(ui, |ui| {
            // What of the table is on screen: row tints never paint past it.
            let visible = ui.clip_rect();
            let mut table = TableBuilder::new(ui)
                .id_salt("browse_table")
                .striped(true)
                .sense(egui::Sense::click())
                .cell_layout(Layout::left_to_right(Align::Center));
            for w in &widths {
                table = table.column(Column::exact(*w).clip(true));
            }
            if let Some(row) = view.scroll_to {
                table = table.scroll_to_row(row, None);
            }
            table
                .header(24.0, |mut header| {
                    for col in view.cols {
                        header.col(|ui| header_cell(ui, *col, view, &mut out));
                    }
                })
                .body(|body| {
                    body.rows(row_height, view.order.len(), |mut row| {
                        let index = row.index();
                        let Some(r) = view
                            .order
                            .get(index)
                            .and_then(|&i| view.rows.get(i as usize))
                        else {
                            return;
                        };
                        let selected = view.selected.contains(&r.id);
                        row.set_selected(selected);
                        for col in view.cols {
                            row.col(|ui| cell(ui, *col, r, view.today, selected, visible));
                        }
                        let response = row.response();
                        if response.double_clicked() {
                            out.double_clicked = Some(index);
                        } else if response.clicked() {
                            out.clicked = Some((index, response.ctx.input(|i| i.modifiers)));
                        }
                        if response.secondary_clicked() && !selected {
                            out.secondary = Some(index);
                        }
                        response.context_menu(|ui| {
                            if let Some(a) = actions::menu(ui, &(view.selection)()) {
                                out.action = Some(a);
                            }
                        });
                    });
                });
        });
    out
}

/// A header: its name (click: sort by it, again: the other way), the sort arrow, and the
/// columns menu on a right-click.
fn header_cell(ui: &mut Ui, col: Col, view: &View<'_>, out: &mut Output) {
    let button = ui
        .add(egui::Button::new(RichText::new(col.name()).strong()).frame(false))
        .on_hover_text(format!(
            "Sort by {}; right-click to choose the columns",
            col.name().to_lowercase()
        ));
    if button.clicked() {
        out.sort = Some(col);
    }
    button.context_menu(|ui| {
        if let Some(cols) = columns_menu(ui, view.cols, view.fsrs) {
            out.cols = Some(cols);
        }
    });
    // The arrow is in the monospace font, which has the glyph.
    match view.sort {
        (s, false) if s == col => ui.label(RichText::new("▲").monospace()),
        (s, true) if s == col => ui.label(RichText::new("▼").monospace()),
        _ => ui.label(""),
    };
}

/// One cell: the row's tint behind it, its text cut to the width with the whole on hover.
fn cell(ui: &mut Ui, col: Col, r: &BrowseRow, today: Today, selected: bool, visible: egui::Rect) {
    if let Some(t) = tint(ui, r).filter(|_| !selected) {
        // Over the gaps between cells too: one band across the row.
        // (The cell's own painter clips to the cell: a painter of the layer, clipped to the
        // band's row where the table is on screen.)
        let band = ui.max_rect().expand2(egui::vec2(GAP / 2.0 + 1.0, 2.0));
        let clip = egui::Rect::from_x_y_ranges(band.x_range(), ui.clip_rect().y_range())
            .intersect(visible);
        egui::Painter::new(ui.ctx().clone(), ui.layer_id(), clip).rect_filled(band, 0.0, t);
    }
    let text = columns::cell(col, r, today);
    let mut rich = RichText::new(text);
    if r.retired || r.buried {
        rich = rich.italics();
    }
    if r.retired {
        rich = rich.weak();
    }
    let label = ui.add(egui::Label::new(rich).truncate());
    match col {
        Col::Question | Col::Answer => {
            label.on_hover_text(format!("{}\n\n{}", r.front, r.back));
        }
        Col::Deck => {
            label.on_hover_text(&r.deck);
        }
        _ => {}
    }
}

//! The window's colours and text sizes, light and dark: egui's own themes with every text
//! colour moved to at least 4.5:1 against the backgrounds it is drawn on (WCAG AA), the
//! colours awscards adds (the counts, the flags, the Browse tints) by theme, and no text
//! style under 12 px. `text_pairs` lists every (text, background) the window draws, for the
//! test that measures them.

use egui::{Color32, Visuals};

/// The colours awscards adds to egui's, for one theme.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// The three counts, as in Anki: new blue, repeat (learning) red, due green; `due` is also
    /// the colour of a done action's message.
    pub new: Color32,
    pub repeat: Color32,
    pub due: Color32,
    /// Flags 1-4: red, orange, green, blue (as text: "flagged red").
    pub flags: [Color32; 4],
    /// Browse: a suspended row (Anki's yellow), a buried one (grey).
    pub suspended: Color32,
    pub buried: Color32,
    /// How strongly a flag's colour tints its Browse row.
    pub flag_tint: f32,
}

const LIGHT: Palette = Palette {
    new: Color32::from_rgb(0x1d, 0x4e, 0xd8),
    repeat: Color32::from_rgb(0xb9, 0x1c, 0x1c),
    due: Color32::from_rgb(0x15, 0x75, 0x38),
    flags: [
        Color32::from_rgb(0xb9, 0x1c, 0x1c),
        Color32::from_rgb(0xa6, 0x4b, 0x00),
        Color32::from_rgb(0x15, 0x75, 0x38),
        Color32::from_rgb(0x1d, 0x4e, 0xd8),
    ],
    suspended: Color32::from_rgb(0xff, 0xf5, 0xb0),
    buried: Color32::from_rgb(0xe6, 0xe6, 0xe6),
    flag_tint: 0.13,
};

const DARK: Palette = Palette {
    new: Color32::from_rgb(0x60, 0xa5, 0xfa),
    repeat: Color32::from_rgb(0xf8, 0x71, 0x71),
    due: Color32::from_rgb(0x4a, 0xde, 0x80),
    flags: [
        Color32::from_rgb(0xf8, 0x71, 0x71),
        Color32::from_rgb(0xfb, 0x92, 0x3c),
        Color32::from_rgb(0x4a, 0xde, 0x80),
        Color32::from_rgb(0x60, 0xa5, 0xfa),
    ],
    suspended: Color32::from_rgb(0x3a, 0x36, 0x10),
    buried: Color32::from_rgb(0x33, 0x33, 0x33),
    flag_tint: 0.2,
};

/// The palette of the theme `visuals` belongs to.
pub fn palette(visuals: &Visuals) -> &'static Palette {
    if visuals.dark_mode { &DARK } else { &LIGHT }
}

/// egui's theme, its text colours made readable: weak text a solid grey instead of the text
/// colour at 60% (2.9:1 in the light theme), the dark theme's text brighter, links, warnings
/// and errors darker (light) or lighter (dark) where egui's fall short.
pub fn visuals(dark: bool) -> Visuals {
    let mut v = if dark {
        Visuals::dark()
    } else {
        Visuals::light()
    };
    if dark {
        // egui's grey 140 text is 5.9:1 on the panel but under 3:1 on a tinted Browse row.
        v.widgets.noninteractive.fg_stroke.color = Color32::from_gray(210);
        v.weak_text_color = Some(Color32::from_gray(170));
        v.error_fg_color = Color32::from_rgb(0xff, 0x6b, 0x6b);
    } else {
        v.weak_text_color = Some(Color32::from_gray(96));
        v.hyperlink_color = Color32::from_rgb(0x0a, 0x4f, 0xb5);
        v.warn_fg_color = Color32::from_rgb(0x9a, 0x4a, 0x00);
        v.error_fg_color = Color32::from_rgb(0xb4, 0x00, 0x00);
    }
    v
}

/// The text styles, none under 12 px (egui's Small is 9).
pub fn text_styles(style: &mut egui::Style) {
    for font in style.text_styles.values_mut() {
        font.size = font.size.max(12.0);
    }
}

/// `fg` drawn over `bg` (egui's colours are premultiplied).
pub fn over(fg: Color32, bg: Color32) -> Color32 {
    let a = 1.0 - f32::from(fg.a()) / 255.0;
    let mix = |f: u8, b: u8| (f32::from(f) + f32::from(b) * a).round().min(255.0) as u8;
    Color32::from_rgb(
        mix(fg.r(), bg.r()),
        mix(fg.g(), bg.g()),
        mix(fg.b(), bg.b()),
    )
}

/// WCAG's contrast ratio of two opaque colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f64 {
    fn luminance(c: Color32) -> f64 {
        let lin = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.039_28 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Every text colour the window draws in the theme `dark` names, with each background it is
/// drawn on: (what, text, background), both opaque.
pub fn text_pairs(dark: bool) -> Vec<(String, Color32, Color32)> {
    let v = visuals(dark);
    let p = palette(&v);
    let panel = v.panel_fill;
    let striped = over(v.faint_bg_color, panel);
    let backgrounds = [
        ("panel", panel),
        ("window", v.window_fill),
        ("striped row", striped),
    ];
    let mut texts = vec![
        ("text", v.text_color()),
        ("weak text", v.weak_text_color()),
        ("strong text", v.strong_text_color()),
        ("link", v.hyperlink_color),
        ("warning", v.warn_fg_color),
        ("error", v.error_fg_color),
        ("new count", p.new),
        ("repeat count", p.repeat),
        ("due count", p.due),
    ];
    let flag_names = ["red flag", "orange flag", "green flag", "blue flag"];
    texts.extend(flag_names.iter().copied().zip(p.flags));
    let mut pairs = Vec::new();
    for (bg_name, bg) in backgrounds {
        for (name, fg) in &texts {
            pairs.push((format!("{name} on {bg_name}"), over(*fg, bg), bg));
        }
    }
    // Widgets: their text on their own fill, at rest, hovered and pressed.
    for (name, w) in [
        ("button", &v.widgets.inactive),
        ("hovered button", &v.widgets.hovered),
        ("pressed button", &v.widgets.active),
    ] {
        let bg = over(w.weak_bg_fill, panel);
        pairs.push((format!("{name} text"), over(w.fg_stroke.color, bg), bg));
    }
    // Text fields, a selected row or deck.
    let field = v.text_edit_bg_color();
    pairs.push(("text in a field".into(), v.text_color(), field));
    pairs.push(("hint in a field".into(), v.weak_text_color(), field));
    let selected = over(v.selection.bg_fill, panel);
    pairs.push((
        "selected text".into(),
        over(v.selection.stroke.color, selected),
        selected,
    ));
    // Browse's tinted rows: their text, and buried rows' weak text.
    let mut tints: Vec<(String, Color32)> = vec![
        ("suspended row".into(), p.suspended),
        ("buried row".into(), p.buried),
    ];
    for (name, flag) in flag_names.iter().zip(p.flags) {
        tints.push((
            format!("{name} row"),
            over(flag.gamma_multiply(p.flag_tint), panel),
        ));
    }
    for (name, tint) in tints {
        pairs.push((format!("text on a {name}"), v.text_color(), tint));
        pairs.push((format!("weak text on a {name}"), v.weak_text_color(), tint));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_wcags() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the lightest grey that passes AA: 4.54.
        let grey = Color32::from_gray(0x76);
        assert!((contrast(grey, Color32::WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn over_blends_a_transparent_colour_onto_its_background() {
        let half_black = Color32::from_black_alpha(128);
        assert_eq!(over(half_black, Color32::WHITE), Color32::from_gray(127));
        assert_eq!(over(Color32::RED, Color32::WHITE), Color32::RED);
    }
}

#[cfg(test)]
mod every_pair {
    use super::*;

    #[test]
    fn every_text_colour_reads_at_4_5_to_1_in_both_themes() {
        let mut low = Vec::new();
        for dark in [false, true] {
            for (what, fg, bg) in text_pairs(dark) {
                let ratio = contrast(fg, bg);
                if ratio < 4.5 {
                    low.push(format!(
                        "{} {what}: {ratio:.2}",
                        if dark { "dark" } else { "light" }
                    ));
                }
            }
        }
        assert!(low.is_empty(), "below 4.5:1: {low:#?}");
    }
}

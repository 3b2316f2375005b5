//! The floor under awscards' window: an eframe window of the same size and options that draws
//! one label and closes once its first frame is painted. Its peak RSS is what any window costs
//! on the machine (mostly the GL driver), before awscards holds a single card:
//!
//! ```sh
//! cargo build --release --example empty_window
//! /usr/bin/time -f %M ./target/release/examples/empty_window
//! ```
//!
//! Compare with `/usr/bin/time -f %M` around `AWSCARDS_TIME_FIRST_FRAME=1 awscards`, which
//! also closes after its first painted frame.

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([960.0, 720.0]),
        ..Default::default()
    };
    let mut frames = 0;
    eframe::run_ui_native("empty window", options, move |ui, _frame| {
        ui.label("An empty window");
        // The second frame starts once the first has been painted and presented.
        frames += 1;
        if frames == 2 {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        } else {
            ui.ctx().request_repaint();
        }
    })
}

//! [`DoPush`]: frames to the object's hibernatable WebSockets.

use std::rc::Rc;

use microcos_core::{Catalogue, Frame, Push};
use worker::State;

/// Sends each frame to every WebSocket the object accepted.
pub struct DoPush {
    state: Rc<State>,
}

impl DoPush {
    /// Push through `state`'s sockets.
    pub fn new(state: Rc<State>) -> DoPush {
        DoPush { state }
    }
}

impl<E: Catalogue> Push<E> for DoPush {
    fn push(&mut self, frame: &Frame<E>) {
        let sockets = self.state.get_websockets();
        if sockets.is_empty() {
            return;
        }
        let json = frame.to_json();
        for ws in sockets {
            // A socket that cannot take the frame is closing; its client resumes from its cursor.
            let _ = ws.send_with_str(&json);
        }
    }

    fn subscribers(&self) -> usize {
        self.state.get_websockets().len()
    }
}

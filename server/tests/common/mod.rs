//! What the service's tests share.

/// The assistant, with its offline stand-in model.
pub(crate) fn assistant() -> microcos_server::service::Site<microcos_assistant::Assistant> {
    use microcos_assistant::stand_in;
    microcos_server::service::Site::new(microcos_assistant::Assistant::default())
        .with_stand_in(microcos_host::StandIn::with_tools(stand_in::reply, stand_in::tool_calls))
}

//! Domain SQL functions registered in DataFusion (`cn_id_valid()`, ...).
pub fn register_all(_ctx: &datafusion::prelude::SessionContext) {}
pub struct FunctionInfo {
    pub name: &'static str,
    pub signature: &'static str,
    pub summary: &'static str,
    pub example: &'static str,
    pub status: &'static str,
    pub since: &'static str,
}
pub fn registry() -> &'static [FunctionInfo] {
    &[]
}

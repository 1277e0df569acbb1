//! Domain SQL functions registered in DataFusion (`cn_id_valid()`, ...).

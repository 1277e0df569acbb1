//! Clusters and unified customer IDs.
//!
//! Matched pairs are joined by union-find (path halving, union by size) into connected
//! components. A cluster's unified ID is derived from its smallest member in canonical
//! (dataset, key) order: `U` + the first 16 hex digits of SHA-256(dataset, 0x1F, key).
//! The same data gives the same IDs in every run and whatever the row order; an ID
//! changes only when its smallest member leaves the cluster.

use sha2::{Digest, Sha256};

pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = self.parent[x as usize];
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
    }
}

/// Per record, the index of its cluster's smallest member.
pub fn components(n: usize, pairs: impl IntoIterator<Item = (u32, u32)>) -> Vec<u32> {
    let mut uf = UnionFind::new(n);
    for (a, b) in pairs {
        uf.union(a, b);
    }
    let mut smallest = vec![u32::MAX; n];
    let roots: Vec<u32> = (0..n as u32).map(|i| uf.find(i)).collect();
    for (i, &r) in roots.iter().enumerate() {
        smallest[r as usize] = smallest[r as usize].min(i as u32);
    }
    roots.iter().map(|&r| smallest[r as usize]).collect()
}

pub fn unified_id(dataset: &str, key: &str) -> String {
    let mut h = Sha256::new();
    h.update(dataset.as_bytes());
    h.update([0x1f]);
    h.update(key.as_bytes());
    format!("U{}", &hex::encode(h.finalize())[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_take_the_smallest_member() {
        let c = components(6, [(4, 2), (2, 5), (0, 1)]);
        assert_eq!(c, vec![0, 0, 2, 3, 2, 2]);
    }

    #[test]
    fn unified_ids_are_stable() {
        assert_eq!(unified_id("crm", "C001"), unified_id("crm", "C001"));
        assert_ne!(unified_id("crm", "C001"), unified_id("orders", "C001"));
        assert_eq!(unified_id("crm", "C001").len(), 17);
    }
}

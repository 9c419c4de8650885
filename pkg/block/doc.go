// Package block is the columnar form of sign-ins that the store caches and the
// query engine scans: a Block holds one window's sign-ins of one log type as
// times, ids and profile ids; the profiles — what sign-ins share but their id
// and time — live in day tables (Profiles, Tables) that blocks share; Column
// gives the engine a dictionary of one profile field; the codec (Encode,
// Decode) writes a block with its own profiles, compressed and checksummed,
// for the memory, disk and memcached tiers; MergeTail adds an open window's
// new sign-ins.
package block

import "errors"

// ErrBadEntry marks an encoded block that cannot be used: damaged,
// truncated, written by another format version or under another key. A cache
// treats it as a miss.
var ErrBadEntry = errors.New("unusable cache entry")

/*
 * shard.h - which of N shards a record belongs to, specified byte for byte
 * so that DuckDB, Spark or awk can split a book the same way:
 *
 *   shard = FNV-1a 64 (offset basis 14695981039346656037, prime
 *           1099511628211) of the field's UTF-8 bytes, as stored, taken
 *           modulo N as an unsigned 64-bit integer.
 *
 * Shards are numbered 0 to N-1.  The field is the record's id unless a tool
 * is given --shard-by FIELD; a household key keeps a household together.
 */
#ifndef CS_SHARD_H
#define CS_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most shards a run may name. */
enum { SHARD_MAX = 65536 };

/* The shard of the value p[0..len) among n (n >= 1). */
uint32_t shard_of(const char *p, size_t len, uint32_t n);

/*
 * Parse "K/N" (0 <= K < N <= SHARD_MAX) into *k and *n.  Returns 0, or -1
 * with why (a phrase) filled.
 */
int shard_parse(const char *s, uint32_t *k, uint32_t *n, char *why, size_t whylen);

#endif

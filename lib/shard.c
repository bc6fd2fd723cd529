/*
 * shard.c - which of N shards a record belongs to (shard.h).
 */
#include "shard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "hash.h"

uint32_t
shard_of(const char *p, size_t len, uint32_t n)
{
	return (uint32_t)(hash_fnv1a(p, len, HASH_FNV64_BASIS) % n);
}

/* A decimal without sign or spaces, at most SHARD_MAX. */
static int
parse_count(const char *s, char **end, uint32_t *out)
{
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, end, 10);
	if (errno || v > SHARD_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int
shard_parse(const char *s, uint32_t *k, uint32_t *n, char *why, size_t whylen)
{
	char *end;
	if (parse_count(s, &end, k) < 0 || *end != '/' || parse_count(end + 1, &end, n) < 0 ||
	    *end) {
		snprintf(why, whylen, "not K/N (shard K of N, from 0: 0/4 to 3/4)");
		return -1;
	}
	if (*n == 0 || *k >= *n) {
		snprintf(why, whylen, "K must be from 0 to N-1, and N at least 1");
		return -1;
	}
	return 0;
}

/* test_alloc.c -- the small-block cache behind each Lua state's allocator. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lua_test.h"
#include "tml_core.h"

/* Fill a block with bytes derived from its slot, to see that content
 * survives moves between size classes. */
static void fill(unsigned char *p, size_t n, unsigned slot)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(slot * 31 + i);
}

static int intact(const unsigned char *p, size_t n, unsigned slot)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(slot * 31 + i))
			return 0;
	return 1;
}

START_TEST(random_walk)
{
	enum { SLOTS = 500, STEPS = 200000 };
	tml_alloc a = {0};
	unsigned char *blocks[SLOTS] = {0};
	size_t sizes[SLOTS] = {0};
	uint32_t seed = 12345;
	for (int step = 0; step < STEPS; step++) {
		seed = seed * 1664525u + 1013904223u;
		unsigned s = (seed >> 8) % SLOTS;
		/* mostly small sizes, some around the TML_SMALL edge, a few large */
		size_t n = (seed >> 20) % 8 == 0 ? 200 + (seed >> 4) % 200 : 1 + (seed >> 12) % 120;
		if ((seed >> 24) % 5 == 0)
			n = 0; /* free */
		if (blocks[s])
			ck_assert_msg(intact(blocks[s], sizes[s], s), "block %u lost its content", s);
		void *p = tml_alloc_realloc(&a, blocks[s], sizes[s], n);
		if (n == 0) {
			ck_assert_ptr_null(p);
		} else {
			ck_assert_ptr_nonnull(p);
			ck_assert_uint_eq((uintptr_t)p % 16, 0); /* Lua needs its maximum alignment */
			if (blocks[s])
				ck_assert(intact(p, sizes[s] < n ? sizes[s] : n, s));
			fill(p, n, s);
		}
		blocks[s] = p;
		sizes[s] = n;
	}
	for (unsigned s = 0; s < SLOTS; s++)
		tml_alloc_realloc(&a, blocks[s], sizes[s], 0);
	for (size_t c = 0; c < TML_CLASSES; c++)
		ck_assert_uint_le(a.count[c], TML_KEEP);
	tml_alloc_free_all(&a);
	for (size_t c = 0; c < TML_CLASSES; c++) {
		ck_assert_ptr_null(a.free[c]);
		ck_assert_uint_eq(a.count[c], 0);
	}
}
END_TEST

#if !defined(__SANITIZE_ADDRESS__) /* under ASan every block goes back to malloc */
START_TEST(same_class_stays)
{
	tml_alloc a = {0};
	void *p = tml_alloc_realloc(&a, NULL, 0, 20);
	ck_assert_ptr_eq(tml_alloc_realloc(&a, p, 20, 32), p); /* 17..32: one class */
	void *q = tml_alloc_realloc(&a, p, 32, 0);
	ck_assert_ptr_null(q);
	ck_assert_uint_eq(a.count[1], 1);
	ck_assert_ptr_eq(tml_alloc_realloc(&a, NULL, 0, 30), p); /* the freed block comes back */
	ck_assert_uint_eq(a.count[1], 0);
	ck_assert_ptr_null(a.free[1]);
	tml_alloc_realloc(&a, p, 30, 0);
	tml_alloc_free_all(&a);
}
END_TEST

/* A class keeps TML_KEEP freed blocks, gives the rest to free(), and its
 * count follows each block taken back. */
START_TEST(class_bound_and_count)
{
	enum { N = TML_KEEP + 3 };
	tml_alloc a = {0};
	void **p = malloc(N * sizeof *p);
	ck_assert_ptr_nonnull(p);
	for (int i = 0; i < N; i++)
		p[i] = tml_alloc_realloc(&a, NULL, 0, 16);
	for (int i = 0; i < N; i++)
		ck_assert_ptr_null(tml_alloc_realloc(&a, p[i], 16, 0));
	ck_assert_uint_eq(a.count[0], TML_KEEP);
	for (int i = 0; i < TML_KEEP; i++) {
		p[i] = tml_alloc_realloc(&a, NULL, 0, 1 + i % 16);
		ck_assert_uint_eq(a.count[0], (size_t)(TML_KEEP - 1 - i));
	}
	ck_assert_ptr_null(a.free[0]);
	for (int i = 0; i < TML_KEEP; i++)
		tml_alloc_realloc(&a, p[i], 1 + i % 16, 0);
	tml_alloc_free_all(&a);
	free(p);
}
END_TEST
#endif

int main(void)
{
	Suite *s = suite_create("alloc");
	TCase *tc = tcase_create("alloc");
	tcase_add_test(tc, random_walk);
#if !defined(__SANITIZE_ADDRESS__)
	tcase_add_test(tc, same_class_stays);
	tcase_add_test(tc, class_bound_and_count);
#endif
	suite_add_tcase(s, tc);
	return run_suite(s);
}

/* test_kit_map.c -- the toolkit's hash maps. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "kit_oom.h"

START_TEST(numbers)
{
	kit_map m = {0};
	ck_assert_ptr_null(kit_map_get(&m, 7));
	int added;
	for (uint64_t k = 0; k < 10000; k++) {
		uint64_t *v = kit_map_put(&m, k * 4096, &added); /* keys that share their low bits */
		ck_assert(added);
		*v = k + 1;
	}
	ck_assert_uint_eq(kit_map_count(&m), 10000);
	for (uint64_t k = 0; k < 10000; k++)
		ck_assert_uint_eq(*kit_map_get(&m, k * 4096), k + 1);
	ck_assert_ptr_null(kit_map_get(&m, 4097));
	*kit_map_put(&m, 0, &added) += 100; /* key 0 is a key like the others */
	ck_assert(!added);
	ck_assert_uint_eq(*kit_map_get(&m, 0), 101);
	size_t at = 0, seen = 0;
	uint64_t key, value, sum = 0;
	while (kit_map_next(&m, &at, &key, &value))
		seen++, sum += value;
	ck_assert_uint_eq(seen, 10000);
	ck_assert_uint_eq(sum, 10000ULL * 10001 / 2 + 100);
	kit_map_free(&m);
	ck_assert_uint_eq(kit_map_count(&m), 0);
}
END_TEST

START_TEST(strings)
{
	kit_strmap m = {0};
	char key[32];
	int added;
	for (int i = 0; i < 2000; i++) {
		int n = snprintf(key, sizeof key, "key %d", i);
		*kit_strmap_put(&m, key, (size_t)n, &added) = (uint64_t)i;
		ck_assert(added);
	}
	ck_assert_ptr_nonnull(kit_strmap_put(&m, "key 5", 5, &added));
	ck_assert(!added);
	ck_assert_uint_eq(*kit_strmap_get(&m, "key 1999", 8), 1999);
	ck_assert_ptr_null(kit_strmap_get(&m, "key 2000", 8));
	ck_assert_ptr_null(kit_strmap_get(&m, "key 1", 4)); /* a prefix is another key */
	size_t at = 0, len, n = 0;
	const char *k;
	uint64_t v;
	while (kit_strmap_next(&m, &at, &k, &len, &v)) { /* in the order they came */
		snprintf(key, sizeof key, "key %d", (int)n);
		ck_assert_uint_eq(len, strlen(key));
		ck_assert(!memcmp(k, key, len));
		ck_assert_uint_eq(v, n++);
	}
	ck_assert_uint_eq(n, 2000);
	*kit_strmap_put(&m, "a\0b", 3, NULL) = 7; /* keys are bytes */
	ck_assert_ptr_null(kit_strmap_get(&m, "a\0c", 3));
	ck_assert_uint_eq(*kit_strmap_get(&m, "a\0b", 3), 7);
	kit_strmap_free(&m);
}
END_TEST

START_TEST(hash)
{
	ck_assert_uint_ne(kit_hash("a", 1, 0), kit_hash("b", 1, 0));
	ck_assert_uint_ne(kit_hash("a", 1, 0), kit_hash("a", 1, 1));
	ck_assert_uint_eq(kit_hash("abc", 3, 9), kit_hash("abc", 3, 9));
}
END_TEST

START_TEST(out_of_memory)
{
	kit_map m = {0};
	oom_after(0);
	ck_assert_ptr_null(kit_map_put(&m, 1, NULL));
	oom_off();
	ck_assert_uint_eq(kit_map_count(&m), 0);
	for (uint64_t k = 1; k <= 32; k++)
		*kit_map_put(&m, k, NULL) = k;
	oom_after(0);
	ck_assert_ptr_null(kit_map_put(&m, 33, NULL)); /* the table must grow */
	oom_off();
	for (uint64_t k = 1; k <= 32; k++) /* and what it had is still there */
		ck_assert_uint_eq(*kit_map_get(&m, k), k);
	kit_map_free(&m);

	kit_strmap s = {0};
	for (long n = 0; n < 4; n++) {
		oom_after(n);
		uint64_t *v = kit_strmap_put(&s, "name", 4, NULL);
		oom_off();
		if (v)
			break;
		ck_assert_ptr_null(kit_strmap_get(&s, "name", 4));
	}
	ck_assert_ptr_nonnull(kit_strmap_get(&s, "name", 4));
	kit_strmap_free(&s);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("kit_map");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, strings);
	tcase_add_test(tc, hash);
	tcase_add_test(tc, out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(make_suite)

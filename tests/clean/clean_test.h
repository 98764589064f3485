/* clean_test.h -- what the clean plugin's unit tests share. */
#ifndef CLEAN_TEST_H
#define CLEAN_TEST_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"

/* Run a suite and exit with its verdict. */
#define CLEAN_TEST_MAIN(make_suite)                                  \
	int main(void)                                               \
	{                                                            \
		SRunner *sr = srunner_create(make_suite());          \
		srunner_run_all(sr, CK_NORMAL);                      \
		int failed = srunner_ntests_failed(sr);              \
		srunner_free(sr);                                    \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;         \
	}

#endif

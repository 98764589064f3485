/* check_main.h -- the main() of a Check test program: run the suite that
 * make_suite() returns and exit with its verdict. */
#ifndef TM_CHECK_MAIN_H
#define TM_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define TM_CHECK_MAIN(make_suite)                            \
	int main(void)                                       \
	{                                                    \
		SRunner *sr = srunner_create(make_suite());  \
		srunner_run_all(sr, CK_NORMAL);              \
		int failed = srunner_ntests_failed(sr);      \
		srunner_free(sr);                            \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS; \
	}

#endif

/* plugin.c -- the stage types the filter plugin exports. */
#include "stages.h"

static const tm_stage_type stages[] = {
	{
		.name = "filter.length",
		.summary = "drop documents shorter or longer than a number of characters",
		.options = length_options,
		.settings_size = sizeof(length_settings),
		.flags = TM_STAGE_PARALLEL,
		.create = length_create,
		.process = length_process,
	},
	{
		.name = "filter.ids",
		.summary = "drop (or mark) the documents a list names, e.g. the duplicates of a sharded run",
		.options = ids_options,
		.settings_size = sizeof(ids_settings),
		.flags = TM_STAGE_PARALLEL,
		.create = ids_create,
		.process = ids_process,
		.finish = ids_finish,
		.destroy = ids_destroy,
	},
};

TM_PLUGIN(stages);

/* plugin.c -- the stage types the extract plugin exports. */
#include "stages.h"

static const tm_stage_type stages[] = {
	{
		.name = "extract.metadata",
		.summary = "title, published date, author, source, views and captions from the text",
		.options = cl_metadata_options,
		.settings_size = sizeof(cl_metadata_settings),
		.flags = TM_STAGE_PARALLEL,
		.create = cl_metadata_create,
		.process = cl_metadata_process,
		.destroy = cl_metadata_destroy,
	},
	{
		.name = "extract.regex",
		.summary = "add an entity for each match of one regex (PCRE2, JIT)",
		.options = regex_options,
		.settings_size = sizeof(regex_settings),
		.flags = TM_STAGE_PARALLEL,
		.create = regex_create,
		.process = regex_process,
		.destroy = regex_destroy,
	},
};

TM_PLUGIN(stages);

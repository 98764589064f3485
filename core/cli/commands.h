/* commands.h -- the subcommands of the textmill program. */
#ifndef TM_COMMANDS_H
#define TM_COMMANDS_H

int cmd_try(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_slurm(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* -q (c 'q'), -v ('v') or --log-level arg ('l') of a command: sets the
 * host's log_level; -1 after a message for an unknown level. */
int cli_log_level(int c, const char *arg);

#endif

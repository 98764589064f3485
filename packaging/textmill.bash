# bash completion for textmill: commands, each command's options, stage
# type names (plugins NAME) and files. The options and commands come from
# the program's own --help and the stage names from `textmill plugins`, so
# they are those of the textmill being completed.

# The words of the lines of HELP that define options ("  -i, --input PATH")
# and of its usage lines, that start with a dash.
_textmill_options()
{
	"$1" $2 --help 2>/dev/null | awk '
		/^ *usage:/ || /^ +textmill / || /^ +-/ {
			for (i = 1; i <= NF; i++) {
				w = $i; gsub(/^[[]+|[],.]+$/, "", w)
				if (w ~ /^--?[A-Za-z][A-Za-z-]*(=.*)?$/) { sub(/=.*/, "", w); print w }
				if ($0 ~ /^ +-/ && w !~ /^-/ && i > 1) break
			}
		}' | sort -u
}

_textmill()
{
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=""
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
		local commands
		commands=$("$prog" --help 2>/dev/null | awk '/^commands:/ {on = 1; next} on && NF == 0 {on = 0} on {print $1}')
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	local cmd=${COMP_WORDS[1]}
	case $prev in
	-i | --input | -o | --output | --summary-json | --summary | --db | --plugin-path | -w | --work | --dir | --merge-tmp | \
		--resume | --dedup-tool)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return
		;;
	--log-level)
		COMPREPLY=($(compgen -W "error warn info debug" -- "$cur"))
		return
		;;
	-j | --workers | -s | --set | --shard | --global | -t | --text | --time | -n | --shards | -p | --partition | \
		-A | --account | -c | --cpus | --mem | --merge-mem | --sbatch | --max-array | --stage | --memory)
		return # a value to type
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_textmill_options "$prog" "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	plugins)
		local names
		names=$("$prog" plugins 2>/dev/null | awk '/^  [^ ]/ {print $1}')
		COMPREPLY=($(compgen -W "$names" -- "$cur"))
		;;
	run | check | slurm | merge)
		COMPREPLY=($(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
		;;
	try)
		COMPREPLY=($(compgen -f -X '!*.lua' -- "$cur") $(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
		;;
	test)
		COMPREPLY=($(compgen -f -X '!*.test.y*ml' -- "$cur") $(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
		;;
	esac
}
complete -F _textmill textmill

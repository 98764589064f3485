-- defence_vi.lua -- the entity pack for Vietnamese provincial news on national
-- defence: PERSON, TITLE, ORG, LOCATION, DATE, TIME, QUANTITY, ABBREVIATION,
-- LEGAL and EVENT, with values and attributes. docs/rules.md tells how it
-- is built and how to add a rule, a dictionary entry or an entity type.
--
-- Each family of rules is a module beside this file (orgs.lua ...). A
-- module gives `rules`, a list for the rule library, and may give
-- `setup(settings)`, called before its rules are compiled (settings.dir:
-- the dictionaries' folder), and `post(E, cx)`, a step that runs after overlaps are resolved, with the
-- entities of every type so far (E.ORG, E.PERSON ...), in a fixed order.
-- cx is the document's context (context.lua): a fresh one per document,
-- handed to every rule and step, so nothing leaks from one to the next.
--
-- Options (the stage's `options:`):
--   gazetteers  folder of lexicon.tsv and slugs.tsv, relative to this file
--               (default ../../config/gazetteers) or absolute
--   families    the families to run, e.g. [dates, quantities] (default: all)
--   lexicons    your own dictionaries, in lexicon.tsv's format and with the
--               types it uses (PERSON, ORG, PLACE, NOT_NAME ...), relative to
--               the config file or absolute; matched with the pack's own
--               lexicon in the same single pass (docs/rules.md)
--   profile     true: time each phase with os.clock and print the totals at
--               the end (bench/entities_bench.sh uses it), then what each
--               rule did (rules.lua's Pack:counts), the rules tried most first
local textmill = require("textmill")
local rules = require("rules")
local C = require("context")

-- In the order their post steps run: organisations before the titles that
-- hold them, titles before the people who hold those, legal after titles.
local FAMILIES = { "locations", "orgs", "titles", "persons", "dates", "quantities",
                   "abbreviations", "events", "legal" }

-- What each family's post step reads and writes (rules.phases checks that
-- a step changes nothing else).
local POST = {
  locations = { reads = { "LOCATION" }, writes = { "LOCATION" } },
  orgs = { reads = { "ORG", "LOCATION" }, writes = { "ORG" } },
  titles = { reads = { "TITLE", "ORG" }, writes = { "TITLE" } },
  -- (a given name alone is no person on an event, an abbreviation, a
  -- legal text or a date, read before their own post steps run)
  persons = { reads = { "PERSON", "TITLE", "LOCATION", "ORG", "EVENT", "ABBREVIATION", "LEGAL", "DATE" },
              writes = { "PERSON", "LOCATION" } },
  abbreviations = { reads = { "ABBREVIATION" }, writes = { "ABBREVIATION" } },
  legal = { reads = { "LEGAL", "TITLE", "ORG" }, writes = { "LEGAL" } },
}

local pack, phases, locations, settings
local profile, clock = nil, os.clock

-- The NUMBER tokens every date, time and quantity rule starts from.
local NUMBER = [[(?<![\p{L}0-9.,])[0-9]+(?:[.,:/\-][0-9]+)*]]

-- The `lexicons` option as paths the gazetteer reads: a relative one is
-- taken from the config file's folder, where the user keeps the config.
local function user_lexicons(given)
  if given == nil then return nil end
  if type(given) == "string" then given = { given } end
  if type(given) ~= "table" then error("defence_vi: lexicons must be a path or a list of paths", 0) end
  local paths = {}
  for i, p in ipairs(given) do
    if type(p) ~= "string" or p == "" then error("defence_vi: lexicons[" .. i .. "] is not a path", 0) end
    local base = textmill.config_dir
    paths[i] = (p:sub(1, 1) == "/" or not base) and p or base .. "/" .. p
  end
  return paths
end

-- Each user dictionary read alone first, so a mistake in one is named by
-- the option; returns the types each gives, and how many entries of each
-- type they give together.
local function read_lexicons(paths)
  local types, total = {}, {}
  for i, path in ipairs(paths) do
    local ok, g = pcall(textmill.gazetteer, path)
    if not ok then error("defence_vi: lexicons: " .. tostring(g), 0) end
    types[i] = g:types()
    for t, n in pairs(types[i]) do total[t] = (total[t] or 0) + n end
  end
  return types, total
end

-- A user's dictionary may give only types some rule reads: the ones the
-- pack's own lexicon has (more entries of the type in all than the user
-- gave). A typo ("PERSN") would otherwise match nothing and say nothing.
local function check_types(paths, types, total, all)
  for i, path in ipairs(paths) do
    for t in pairs(types[i]) do
      if all[t] == total[t] then
        local known = {}
        for k, n in pairs(all) do
          if n > (total[k] or 0) then known[#known + 1] = k end
        end
        table.sort(known)
        error(string.format("defence_vi: lexicons: %s: type '%s' is not one the pack reads (%s)", path, t,
                            table.concat(known, ", ")), 0)
      end
    end
  end
end

function init(options)
  options = options or {}
  local dir = options.gazetteers or "../../config/gazetteers"
  local names = options.families or FAMILIES
  local wanted = {}
  for _, n in ipairs(names) do wanted[n] = true end
  local list, steps = {}, {}
  profile = options.profile and {} or nil
  settings = { dir = dir }
  for _, name in ipairs(FAMILIES) do
    if wanted[name] then
      local fam = require(name)
      if fam.setup then fam.setup(settings) end
      for _, r in ipairs(fam.rules) do list[#list + 1] = r end
      if fam.post then
        local decl = POST[name] or error("defence_vi: say what the post step of " .. name .. " reads and writes", 0)
        steps[#steps + 1] = { name = "post " .. name, reads = decl.reads, writes = decl.writes, run = fam.post }
      end
      wanted[name] = nil
    end
  end
  local unknown = next(wanted)
  if unknown then error("defence_vi: unknown family '" .. unknown .. "'", 0) end
  -- a count inside a date or time ("6 tháng" in "6 tháng đầu năm") is part
  -- of it, and one that shares its number with a date or time is mostly
  -- no count: "12 năm" in "tháng 12 năm ngoái", "30 ngày" in "15 giờ 30
  -- ngày 7-5" (on the dev articles, 35 of a sample of 40 such)
  steps[#steps + 1] = rules.drop { type = "QUANTITY", overlapping = { "DATE", "TIME" } }
  phases = rules.phases(steps)
  locations = require("locations")
  local paths = user_lexicons(options.lexicons)
  local types, total
  if paths then types, total = read_lexicons(paths) end
  pack = rules.pack(list, { lexicon = dir .. "/lexicon.tsv", lexicon_opts = { overlaps = true, files = paths },
                           tokens = { NUMBER = NUMBER }, retype = C.NUMBER_SHAPES })
  if paths then check_types(paths, types, total, pack.lexicon:types()) end
end

local function tick(name, t0)
  if not profile then return end
  local t = clock()
  profile[name] = (profile[name] or 0) + (t - t0)
  return t
end

-- Rule names of this pack, to know a document it has already seen.
local OURS

-- A document written by an earlier run of the pack (a run over its own
-- output) keeps its entities: the pack adds none twice.
local function done_before(doc)
  local ents = doc:entities()
  if #ents == 0 then return false end
  if not OURS then
    OURS = {}
    for _, r in ipairs(pack.rules) do OURS[r.name] = true end
  end
  for _, e in ipairs(ents) do
    if OURS[e.rule] then return true end
  end
  return false
end

-- In text order, and no two entities of one type sharing a byte: of two,
-- the later (at one start the shorter) is left out: Mỹ in the district
-- Chương Mỹ, TP in PCTPMT&TP, a district again inside Bà Rịa - Vũng Tàu.
local IN_TEXT_ORDER = { sort = true, disjoint = true, by_type = true }

function process(doc)
  if done_before(doc) then return end
  local t = profile and clock()
  pack:begin(doc)
  t = tick("scan", t) or t
  local cx = C.begin(doc, pack, settings)
  locations.article_province(cx)
  t = tick("context", t) or t
  local E = pack:find_by_type(doc, cx)   -- each type's list in text order, made in C
  t = tick("rules", t) or t
  phases:run(E, cx, profile and function(name) t = tick(name, t) end)
  -- every type's list, in text order; the rules' own notes (attrs keys
  -- starting with "_") stay out
  doc:add_entities(E, IN_TEXT_ORDER)
  if cx.province then
    doc:set_field("province", cx.province)
    if cx.province_2025 then doc:set_field("province_2025", cx.province_2025) end
  end
  tick("add", t)
end

function finish()
  if not profile then return end
  local names, total = {}, 0
  for k, v in pairs(profile) do names[#names + 1] = k; total = total + v end
  if #names == 0 then return end   -- a worker that saw no document
  table.sort(names, function(a, b) return profile[a] > profile[b] end)
  for _, k in ipairs(names) do
    print(string.format("profile %-20s %8.3f s %5.1f%%", k, profile[k], 100 * profile[k] / total))
  end
  -- what each rule did, the rules tried most first
  local counts = pack:counts()
  table.sort(counts, function(a, b)
    if a.seen ~= b.seen then return a.seen > b.seen end
    return (a.rule or "") < (b.rule or "")
  end)
  print(string.format("rule    %-28s %9s %9s %9s %9s", "", "seen", "passed", "refused", "kept"))
  for _, c in ipairs(counts) do
    if c.seen > 0 then
      print(string.format("rule    %-28s %9d %9d %9d %9d", c.rule or "?", c.seen, c.passed, c.refused, c.kept))
    end
  end
end

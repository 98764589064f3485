-- A module beside the script, for require().
return { answer = function() return 42 end }

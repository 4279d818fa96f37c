// The build must fail because of the API check, not for any other reason.
def log = new File(basedir, 'build.log').text
assert log.contains('japicmp') : 'the API check did not run'
assert log =~ /(?s)Greeter.*bye|bye.*Greeter/ : 'the failure does not name the removed method'
assert log.contains('METHOD_REMOVED') : 'the failure is not the removed method'
return true

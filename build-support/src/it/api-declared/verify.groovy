// The check ran against the baseline (it did not skip) and accepted the declared removal.
def log = new File(basedir, 'build.log').text
assert log.contains('japicmp') : 'the API check did not run'
assert !log.contains('Skipping execution') : 'the API check was skipped'
assert !log.contains('Could not resolve') : 'the baseline was not found'
return true

// What the harness imports from Node only to read files from disk, in a browser bundle:
// nothing. The functions that would use it are never called there.
module.exports = {}

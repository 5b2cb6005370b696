'use strict';
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('e2eSmoke.hello', () => 'hello'));
}

function deactivate() {}

module.exports = { activate, deactivate };

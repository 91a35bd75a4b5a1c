; Inno Setup script: wraps dist\receiptdesk (built on Windows with packaging\build.sh's PyInstaller
; command) in a per-user installer with Start-menu and desktop shortcuts. Build: iscc receiptdesk.iss
#define AppVersion GetEnv("RECEIPTDESK_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C9A3C53-3E55-4B1C-9D0B-8C4E0D2F1A77}
AppName=ReceiptDesk
AppVersion={#AppVersion}
AppPublisher=ReceiptDesk
DefaultDirName={autopf}\ReceiptDesk
DefaultGroupName=ReceiptDesk
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=ReceiptDesk-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\receiptdesk.ico
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Files]
Source: "..\..\dist\receiptdesk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\ReceiptDesk"; Filename: "{app}\receiptdesk.exe"
Name: "{userdesktop}\ReceiptDesk"; Filename: "{app}\receiptdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; GroupDescription: "Shortcuts:"

[Run]
Filename: "{app}\receiptdesk.exe"; Description: "Open ReceiptDesk"; Flags: nowait postinstall skipifsilent
